package org.openfinq.server.payment;

import org.openfinq.connector.Authorisation;
import org.openfinq.connector.Connector;
import org.openfinq.connector.PaymentOrder;
import org.openfinq.connector.PaymentStart;
import org.openfinq.connector.Psu;
import org.openfinq.server.bank.Connectors;
import org.openfinq.server.crypto.DataCipher;
import org.openfinq.server.onboarding.BankRedirect;
import org.openfinq.server.onboarding.BankStep;
import org.openfinq.server.onboarding.SessionStore;
import org.openfinq.server.onboarding.StepContext;
import org.openfinq.server.onboarding.StepOutcome;
import org.openfinq.server.onboarding.StepSchema;
import org.openfinq.server.tenant.Secrets;
import org.openfinq.server.web.ApiException;
import org.openfinq.server.web.PublicUrl;
import org.springframework.stereotype.Component;
import tools.jackson.databind.node.ObjectNode;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.UUID;

/**
 * PIS step {@code payment_intent}: checks the payment, initiates it at the bank (never retried) and answers the
 * bank's SCA link with the new {@code payment_id}. The bank sends the end-user back to {@code /v1/redirects/pisp}; a
 * decoupled authorisation (in the bank's app) answers {@code sca_approach: decoupled} and is followed by the poller.
 * Supports the {@code Idempotency-Key} header: a repeated call answers the same payment without a bank call.
 */
@Component
public class PaymentIntentStep implements BankStep, org.openfinq.server.onboarding.SessionService.Idempotent {

    static final StepSchema SCHEMA = StepSchema.of(
            StepSchema.required("psu_redirect_link", StepSchema.Kind.REDIRECT_URI),
            StepSchema.text("psu_id", false, 100),
            StepSchema.optional("group_header", StepSchema.Kind.OBJECT),
            StepSchema.required("payment_info", StepSchema.Kind.ARRAY),
            StepSchema.text("payment_product", false, 70));

    private final Connectors connectors;
    private final PaymentStore payments;
    private final SessionStore sessions;
    private final DataCipher cipher;
    private final PublicUrl publicUrl;
    private final org.openfinq.server.tenant.TenantService tenants;
    private final Clock clock;

    public PaymentIntentStep(Connectors connectors, PaymentStore payments, SessionStore sessions, DataCipher cipher,
                             PublicUrl publicUrl, org.openfinq.server.tenant.TenantService tenants, Clock clock) {
        this.tenants = tenants;
        this.connectors = connectors;
        this.payments = payments;
        this.sessions = sessions;
        this.cipher = cipher;
        this.publicUrl = publicUrl;
        this.clock = clock;
    }

    @Override
    public String name() {
        return "payment_intent";
    }

    @Override
    public StepSchema schema() {
        return SCHEMA;
    }

    @Override
    public Commit call(StepContext ctx) {
        Instant now = clock.instant();
        PaymentIntent intent = PaymentIntent.read(ctx.data(), LocalDate.ofInstant(now, ZoneOffset.UTC));
        Connector connector = connectors.forServicer(ctx.servicer());
        String currency = intent.transfer().amount().currency();
        String product = ctx.data().path("payment_product").asString(
                connector.profile().quirks().getOrDefault("payment_product." + currency, "sepa-credit-transfers"));
        if (!connector.profile().paymentProducts().contains(product)) {
            throw ApiException.invalidField("data.payment_product", "the bank offers " + connector.profile().paymentProducts());
        }
        BankRedirect.requirePsuIdIfDecoupled(connector.profile(), intent.psuId());
        BankRedirect back = BankRedirect.to(publicUrl.base() + "/v1/redirects/pisp");
        PaymentStart start = connector.paymentInitiation().initiate(
                new PaymentOrder(product, intent.transfer().endToEndId(), intent.debtorIban(), intent.transfer().amount(),
                        intent.transfer().creditorName(), intent.transfer().creditorIban(), intent.transfer().remittance(),
                        intent.requestedExecutionDate()),
                new Psu(intent.psuId(), ctx.psuIp()),
                new Psu.Redirects(back.ok(), back.nok(), tenants.appName(ctx.session().clientId())));
        return () -> {
            Instant at = clock.instant();
            UUID paymentId = UUID.randomUUID();
            // polled from now on, whether or not the end-user's browser comes back from the bank
            payments.insert(new PaymentStore.Payment(paymentId, ctx.session().clientId(), ctx.session().id(), ctx.session().tenantUserId(),
                    ctx.skill().id(), ctx.servicer().id(), product, cipher.encrypt(start.paymentId(), "payment:" + paymentId),
                    intent.transfer().endToEndId(), intent.debtorIban(), intent.transfer().creditorName(), intent.transfer().creditorIban(),
                    intent.transfer().amount().amount(), currency, intent.transfer().remittance(), intent.requestedExecutionDate(),
                    PaymentLifecycle.of(start.transactionStatus(), false), start.transactionStatus(), at, at, 0),
                    at.plus(PaymentLifecycle.firstPoll()));
            ObjectNode data;
            if (start.authorisation() instanceof Authorisation.Redirect r) {
                sessions.insertRedirect(Secrets.hash(back.state()), ctx.session().id(), "payment",
                        cipher.encrypt(start.paymentId(), "session:" + ctx.session().id()), intent.psuRedirectLink(),
                        r.continuation() == null ? null : cipher.encrypt(r.continuation(), "session:" + ctx.session().id()), at);
                data = BankRedirect.scaLink(r.url());
            } else {
                // decoupled: the payment poller follows the bank's decision and settles the session
                data = BankRedirect.decoupled(((Authorisation.Decoupled) start.authorisation()).psuMessage(), ctx.session().id());
            }
            data.put("payment_id", paymentId.toString());
            return new StepOutcome.AwaitBank(data);
        };
    }
}
