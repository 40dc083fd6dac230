package org.openfinq.server.onboarding.steps;

import org.openfinq.connector.Authorisation;
import org.openfinq.connector.ConsentStart;
import org.openfinq.server.crypto.DataCipher;
import org.openfinq.server.onboarding.BankRedirect;
import org.openfinq.server.onboarding.BankStep;
import org.openfinq.server.onboarding.SessionStore;
import org.openfinq.server.onboarding.StepContext;
import org.openfinq.server.onboarding.StepOutcome;
import org.openfinq.server.onboarding.StepSchema;
import org.openfinq.server.tenant.Secrets;
import org.openfinq.server.web.PublicUrl;
import org.springframework.stereotype.Component;

import java.time.Clock;

/**
 * AIS step {@code sca}: creates the consent at the bank and answers the bank's SCA page to open. The bank sends
 * the end-user back to {@code /v1/redirects/aisp}, which finishes the session. When the bank authorises in its app
 * (decoupled), the step answers {@code sca_approach: decoupled} and {@link org.openfinq.server.onboarding.DecoupledSca}
 * finishes the session.
 */
@Component
public class ScaStep implements BankStep {

    static final StepSchema SCHEMA = StepSchema.of(
            StepSchema.required("psu_redirect_link", StepSchema.Kind.REDIRECT_URI),
            StepSchema.text("psu_id", false, 100),
            StepSchema.range("history_days", StepSchema.Kind.INTEGER, false, 1, 730));

    private final BankConsents consents;
    private final SessionStore sessions;
    private final DataCipher cipher;
    private final PublicUrl publicUrl;
    private final org.openfinq.server.onboarding.DecoupledSca decoupled;
    private final Clock clock;

    public ScaStep(BankConsents consents, SessionStore sessions, DataCipher cipher, PublicUrl publicUrl,
                   org.openfinq.server.onboarding.DecoupledSca decoupled, Clock clock) {
        this.decoupled = decoupled;
        this.consents = consents;
        this.sessions = sessions;
        this.cipher = cipher;
        this.publicUrl = publicUrl;
        this.clock = clock;
    }

    @Override
    public String name() {
        return "sca";
    }

    @Override
    public StepSchema schema() {
        return SCHEMA;
    }

    @Override
    public Commit call(StepContext ctx) {
        BankRedirect back = BankRedirect.to(publicUrl.base() + "/v1/redirects/aisp");
        ConsentStart start = consents.create(ctx, ctx.data().path("psu_id").asString(null), back.ok(), back.nok());
        return switch (start.authorisation()) {
            case Authorisation.Redirect r -> () -> {
                sessions.insertRedirect(Secrets.hash(back.state()), ctx.session().id(), "consent",
                        cipher.encrypt(start.consentId(), "session:" + ctx.session().id()),
                        ctx.data().get("psu_redirect_link").asString(),
                        r.continuation() == null ? null : cipher.encrypt(r.continuation(), "session:" + ctx.session().id()),
                        clock.instant());
                return new StepOutcome.AwaitBank(BankRedirect.scaLink(r.url()));
            };
            case Authorisation.Decoupled d -> () -> {
                decoupled.insert(ctx.session().id(), start.consentId(), ctx.psuIp(), clock.instant());
                return new StepOutcome.AwaitBank(BankRedirect.decoupled(d.psuMessage(), ctx.session().id()));
            };
        };
    }
}
