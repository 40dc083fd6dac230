package org.openfinq.server.onboarding;

import tools.jackson.databind.node.ObjectNode;

import java.util.UUID;

/** What a step did, which decides what happens to the session. */
public sealed interface StepOutcome {

    /** The next step may follow. */
    record Next(ObjectNode data) implements StepOutcome {
    }

    /** The end-user is sent to the bank; the session waits for the bank's redirect. */
    record AwaitBank(ObjectNode data) implements StepOutcome {
    }

    /** The step needs a file at its upload endpoint before the session can go on. */
    record AwaitUpload(ObjectNode data) implements StepOutcome {
    }

    /** The session is done: the consent (credentials) record exists and a temp_token is issued for it. */
    record Complete(UUID consentId, ObjectNode data) implements StepOutcome {
    }
}
