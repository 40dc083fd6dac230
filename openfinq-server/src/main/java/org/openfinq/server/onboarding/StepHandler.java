package org.openfinq.server.onboarding;

/**
 * One kind of session step: its name, the shape of its data, and what it does. The engine checks the
 * nonce, the order and the data first; a handler only runs on valid input.
 */
public interface StepHandler {

    /** The step name, as skills list it (e.g. {@code sca}). */
    String name();

    StepSchema schema();

    StepOutcome handle(StepContext context);
}
