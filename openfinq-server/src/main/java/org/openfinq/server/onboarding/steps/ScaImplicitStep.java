package org.openfinq.server.onboarding.steps;

import org.openfinq.connector.ConsentStart;
import org.openfinq.connector.ConsentStatus;
import org.openfinq.connector.Psu;
import org.openfinq.connector.ScaAutomation;
import org.openfinq.server.bank.Connectors;
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
 * Sandbox step {@code sca_implicit}: the consent is created at the bank over HTTP as with {@code sca}, then
 * approved there for a test PSU ({@code psu_id}, default {@code alice}) through the connector's optional
 * {@link ScaAutomation} capability, without a browser. The step answers the temp_token at once. Only sandbox
 * skills whose bank offers that capability (a profile that enables it) accept it.
 */
@Component
public class ScaImplicitStep implements BankStep {

    static final StepSchema SCHEMA = StepSchema.of(
            StepSchema.text("psu_id", false, 100),
            StepSchema.range("history_days", StepSchema.Kind.INTEGER, false, 1, 730));

    private final BankConsents consents;
    private final Connectors connectors;
    private final Completion completion;

    public ScaImplicitStep(BankConsents consents, Connectors connectors, Completion completion) {
        this.consents = consents;
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
        ScaAutomation automation = ctx.skill().environment().equals("sandbox")
                ? connectors.forServicer(ctx.servicer()).scaAutomation().orElse(null) : null;
        if (automation == null) {
            throw ApiException.invalid("invalid_step",
                    "sca_implicit exists only for sandbox skills of a test bank that approves SCA without a browser; use sca");
        }
        String psu = ctx.data().path("psu_id").asString("alice");
        URI nowhere = URI.create("https://sandbox.invalid/sca_implicit");
        ConsentStart start = consents.create(ctx, psu, nowhere, nowhere);
        automation.decideConsent(start.consentId(), psu, true, Psu.present(ctx.psuIp()));
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
