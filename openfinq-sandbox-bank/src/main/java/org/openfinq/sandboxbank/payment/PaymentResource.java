package org.openfinq.sandboxbank.payment;

import org.openfinq.sandboxbank.SandboxState;
import org.openfinq.sandboxbank.account.AccountResource;
import org.openfinq.sandboxbank.data.SandboxAccount;
import org.openfinq.sandboxbank.data.SandboxPsu;
import org.openfinq.sandboxbank.http.BankError;
import org.openfinq.sandboxbank.http.Checks;
import org.openfinq.sandboxbank.http.Exchange;
import org.openfinq.sandboxbank.http.Router;
import tools.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/** {@code /v1/payments/{product}}: initiate, read and status of single credit transfers. */
public final class PaymentResource {

    /** Products and the currency each one takes. */
    static final Map<String, String> PRODUCTS = Map.of(
            "sepa-credit-transfers", "EUR",
            "instant-sepa-credit-transfers", "EUR",
            "domestic-credit-transfers", "RON");

    private final SandboxState state;
    private final AccountResource accounts;
    private final org.openfinq.sandboxbank.sca.Authorisations authorisations;

    public PaymentResource(SandboxState state, AccountResource accounts, org.openfinq.sandboxbank.sca.Authorisations authorisations) {
        this.state = state;
        this.accounts = accounts;
        this.authorisations = authorisations;
    }

    public void register(Router router) {
        router.route("POST", "/v1/payments/([^/]+)", this::initiate)
                .route("GET", "/v1/payments/([^/]+)/([^/]+)", this::get)
                .route("GET", "/v1/payments/([^/]+)/([^/]+)/status", this::status);
    }

    private static String product(String product) {
        if (!PRODUCTS.containsKey(product)) {
            throw new BankError(404, "PRODUCT_UNKNOWN", "Payment product " + product + " is not offered");
        }
        return product;
    }

    private void initiate(Exchange ex) {
        Checks.requestId(ex);
        String product = product(ex.pathParam(1));
        ex.requiredHeader("PSU-IP-Address");
        String ok = ex.requiredHeader("TPP-Redirect-URI");
        String nok = ex.header("TPP-Nok-Redirect-URI");
        JsonNode body = ex.json();
        String debtor = Checks.iban(body.get("debtorAccount"), "debtorAccount");
        String creditor = Checks.iban(body.get("creditorAccount"), "creditorAccount");
        BigDecimal amount = Checks.positiveAmount(body.get("instructedAmount"), "instructedAmount");
        String currency = body.get("instructedAmount").get("currency").stringValue();
        if (!PRODUCTS.get(product).equals(currency)) {
            throw BankError.format(product + " takes " + PRODUCTS.get(product) + ", not " + currency);
        }
        String creditorName = Checks.sepaText(Checks.text(body, "creditorName"), "creditorName", 70);
        String remittance = body.path("remittanceInformationUnstructured").asString(null);
        if (remittance != null) {
            Checks.sepaText(remittance, "remittanceInformationUnstructured", 140);
        }
        LocalDate execution = body.has("requestedExecutionDate")
                ? Checks.date(body.get("requestedExecutionDate").asString(), "requestedExecutionDate") : null;
        if (execution != null && execution.isBefore(state.today())) {
            throw new BankError(400, "EXECUTION_DATE_INVALID", "requestedExecutionDate is in the past");
        }
        if (state.data().accountByIban(debtor).isEmpty()) {
            throw BankError.format("debtorAccount is not an account of this bank");
        }
        String id = UUID.randomUUID().toString();
        state.put(new Payment(id, product, body.path("endToEndIdentification").asString(null), debtor, amount, currency,
                creditorName, creditor, remittance, execution, "RCVD", ex.header("PSU-ID"), ok, nok == null ? ok : nok,
                state.clock().instant(), null, null));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("transactionStatus", "RCVD");
        out.put("paymentId", id);
        out.putAll(authorisations.started(ex, "payments", id, "/v1/payments/" + product + "/" + id, ex.header("PSU-ID")));
        ex.header("Location", ex.apiPrefix() + "/v1/payments/" + product + "/" + id);
        ex.json(201, out);
    }

    private Payment known(Exchange ex) {
        Checks.requestId(ex);
        String product = product(ex.pathParam(1));
        Payment p = state.payment(ex.pathParam(2)).filter(x -> x.product().equals(product))
                .orElseThrow(() -> BankError.unknownResource("No such payment"));
        return state.current(p);
    }

    private void get(Exchange ex) {
        Payment p = known(ex);
        Map<String, Object> out = new LinkedHashMap<>();
        if (p.endToEndId() != null) {
            out.put("endToEndIdentification", p.endToEndId());
        }
        out.put("debtorAccount", Map.of("iban", p.debtorIban()));
        out.put("instructedAmount", Map.of("currency", p.currency(), "amount", p.amount().toPlainString()));
        out.put("creditorAccount", Map.of("iban", p.creditorIban()));
        out.put("creditorName", p.creditorName());
        if (p.remittance() != null) {
            out.put("remittanceInformationUnstructured", p.remittance());
        }
        out.put("transactionStatus", p.status());
        ex.json(200, out);
    }

    private void status(Exchange ex) {
        ex.json(200, Map.of("transactionStatus", known(ex).status()));
    }

    /**
     * The PSU's decision. An approved payment the debtor account cannot cover is rejected at once.
     *
     * @return the updated payment
     */
    public Payment decide(Payment p, SandboxPsu psu, boolean approve) {
        if (!p.status().equals("RCVD")) {
            throw BankError.format("The payment is already " + p.status());
        }
        if (!approve) {
            Payment rejected = p.withLogin(psu == null ? p.psuId() : psu.id(), null).withStatus("RJCT", null);
            state.put(rejected);
            return rejected;
        }
        SandboxAccount debtor = psu.accounts().stream().filter(a -> a.iban().equals(p.debtorIban())).findFirst()
                .orElseThrow(() -> BankError.format("The debtor account does not belong to " + psu.id()));
        boolean covered = accounts.available(debtor).compareTo(p.amount()) >= 0;
        Payment decided = p.withLogin(psu.id(), null).withStatus(covered ? "ACTC" : "RJCT",
                covered ? state.clock().instant() : null);
        state.put(decided);
        return decided;
    }
}
