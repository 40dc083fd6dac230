package org.openfinq.server.onboarding;

/**
 * A step that calls a bank. The engine runs it in three parts so that no database connection or lock is held
 * while the bank answers: it checks the call and claims the session (committed), runs {@link #call} with no
 * transaction, then — in a new transaction, only if the session is still claimed by this step — runs the
 * returned {@link Commit} and records the step. A concurrent call of the same session loses with 409
 * {@code step_conflict}; a failed bank call releases the claim and changes nothing else.
 */
public interface BankStep extends StepHandler {

    /** The database writes of a step whose bank calls succeeded; runs inside the engine's commit transaction. */
    @FunctionalInterface
    interface Commit {
        StepOutcome commit();
    }

    /** Calls the bank; runs with no transaction and no connection held. Reads of its own are fine, writes go in the commit. */
    Commit call(StepContext context);

    /** Bank steps run through {@link #call}; the engine never calls this. */
    @Override
    default StepOutcome handle(StepContext context) {
        throw new IllegalStateException("Step " + name() + " calls a bank and runs through call()");
    }
}
