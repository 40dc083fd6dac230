package org.openfinq.connector.berlingroup;

import org.openfinq.connector.PaymentInitiation;
import org.openfinq.connector.BankException;
import org.openfinq.connector.PaymentOrder;
import org.openfinq.connector.PaymentStart;
import org.openfinq.connector.Psu;
import tools.jackson.databind.JsonNode;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

/** NextGenPSD2 payment initiation: {@code /v1/payments/{product}}. Initiation is a POST and never retried. */
final class BgPaymentInitiation implements PaymentInitiation {

    private final BgHttp http;
    private final BgJson json;
    private final String paymentsPath;

    private final BgAuthorisation authorisation;

    BgPaymentInitiation(BgHttp http, BgJson json, Map<String, String> quirks, BgAuthorisation authorisation) {
        this.http = http;
        this.json = json;
        this.authorisation = authorisation;
        this.paymentsPath = quirks.getOrDefault("path.payments", "/v1/payments");
    }

    @Override
    public PaymentStart initiate(PaymentOrder order, Psu psu, Psu.Redirects redirects) {
        String problem = order.problem();
        if (problem != null) {
            throw new BankException.BadRequest("Payment not sent to the bank: " + problem, 400, null);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        if (order.endToEndId() != null) {
            body.put("endToEndIdentification", order.endToEndId());
        }
        body.put("debtorAccount", Map.of("iban", order.debtorIban()));
        body.put("instructedAmount", Map.of("currency", order.amount().currency(), "amount", order.amount().amount().toPlainString()));
        body.put("creditorAccount", Map.of("iban", order.creditorIban()));
        body.put("creditorName", order.creditorName());
        if (order.remittanceInformation() != null) {
            body.put("remittanceInformationUnstructured", order.remittanceInformation());
        }
        if (order.requestedExecutionDate() != null) {
            body.put("requestedExecutionDate", order.requestedExecutionDate().toString());
        }
        JsonNode r = http.post(paymentsPath + "/" + BgAccountInformation.enc(order.product()),
                authorisation.headers(redirects), body, psu).body();
        String id = json.required(r, "paymentId", "payment");
        String status = json.required(r, "transactionStatus", "payment");
        return new PaymentStart(id, status, authorisation.of(r, "PIS:" + id, psu, redirects));
    }

    @Override
    public void completeRedirect(String paymentId, String continuation, Map<String, String> callback, Psu psu) {
        authorisation.complete(continuation, callback, psu);
    }

    @Override
    public String status(String product, String paymentId, Psu psu) {
        JsonNode r = http.get(paymentsPath + "/" + BgAccountInformation.enc(product) + "/"
                + BgAccountInformation.enc(paymentId) + "/status", Map.of(), psu).body();
        return json.required(r, "transactionStatus", "payment status");
    }
}
