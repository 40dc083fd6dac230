package org.openfinq.server.onboarding.steps;

import org.openfinq.connector.ConsentStart;
import org.openfinq.connector.ConsentStatus;
import org.openfinq.connector.Psu;
import org.openfinq.server.bank.Connectors;
import org.openfinq.server.bank.SandboxAutomation;
import org.openfinq.server.onboarding.BankStep;
import org.openfinq.server.onboarding.Completion;
import org.openfinq.server.onboarding.StepContext;
import org.openfinq.server.onboarding.StepOutcome;
import org.openfinq.server.onboarding.StepSchema;
import org.openfinq.server.web.ApiException;
import org.openfinq.server.web.JsonBody;
import org.springframework.stereotype.Component;
import tools.jackson.databind.node.ObjectNode;

import java.net.URI;
import java.util.UUID;

/**
 * Sandbox step {@code sca_implicit}: the consent is created at the sandbox bank over HTTP as with {@code sca},
 * then approved there for a sandbox PSU ({@code psu_id}, default {@code alice}) without a browser. The step
 * answers the temp_token at once. Only sandbox skills of the sandbox bank offer it.
 */
@Component
public class ScaImplicitStep implements BankStep {

    static final StepSchema SCHEMA = StepSchema.of(
            StepSchema.text("psu_id", false, 100),
            StepSchema.range("history_days", StepSchema.Kind.INTEGER, false, 1, 730));

    private final BankConsents consents;
    private final SandboxAutomation automation;
    private final Connectors connectors;
    private final Completion completion;

    public ScaImplicitStep(BankConsents consents, SandboxAutomation automation, Connectors connectors, Completion completion) {
        this.consents = consents;
        this.automation = automation;
        this.connectors = connectors;
        this.completion = completion;
    }

    @Override
    public String name() {
        return "sca_implicit";
    }

    @Override
    public StepSchema schema() {
        return SCHEMA;
    }

    @Override
    public Commit call(StepContext ctx) {
        if (!ctx.skill().environment().equals("sandbox") || !"sandbox".equals(ctx.servicer().bankProfile())) {
            throw ApiException.invalid("invalid_step", "sca_implicit exists only for the sandbox bank's skills");
        }
        String psu = ctx.data().path("psu_id").asString("alice");
        URI nowhere = URI.create("https://sandbox.invalid/sca_implicit");
        ConsentStart start = consents.create(ctx, psu, nowhere, nowhere);
        automation.authoriseConsent(start.consentId(), psu);
        ConsentStatus status = connectors.forServicer(ctx.servicer()).accountInformation()
                .consentStatus(start.consentId(), Psu.present(ctx.psuIp()));
        if (status != ConsentStatus.VALID) {
            throw ApiException.invalid("tpp_redirect_error", "The sandbox bank left the consent " + status.code());
        }
        return () -> {
            UUID consentId = completion.createConsent(ctx.session(), ctx.servicer(), start.consentId(), ctx.psuIp());
            Completion.Done done = completion.finish(ctx.session(), consentId);
            ObjectNode data = JsonBody.newObject();
            data.put("temp_token", done.tempToken());
            return new StepOutcome.Complete(consentId, data);
        };
    }
}
