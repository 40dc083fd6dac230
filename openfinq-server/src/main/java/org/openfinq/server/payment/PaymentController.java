package org.openfinq.server.payment;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.openfinq.server.tenant.Tenant;
import org.openfinq.server.tenant.TenantAuth;
import org.openfinq.server.web.ApiDoc;
import org.openfinq.server.web.ApiException;
import org.openfinq.server.web.JsonBody;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;
import java.util.Map;

import static org.openfinq.server.consent.ConsentService.utc;

/** {@code POST /v1/payments/get}: a payment of the tenant, with its amounts and lifecycle status. */
@RestController
@Tag(name = "Payments")
public class PaymentController {

    @Schema(name = "PaymentGetRequest")
    public record GetRequest(@Schema(requiredMode = Schema.RequiredMode.REQUIRED) String clientId,
                             @Schema(requiredMode = Schema.RequiredMode.REQUIRED) String clientSecret,
                             @Schema(requiredMode = Schema.RequiredMode.REQUIRED, format = "uuid") String paymentId) {
    }

    @Schema(name = "Payment")
    public record View(String paymentId,
                       @Schema(allowableValues = {"initiated", "accepted", "pending", "settled", "rejected", "cancelled"}) String status,
                       @Schema(description = "The bank's ISO 20022 transaction status", example = "ACSC") String bankStatus,
                       String skill, String sessionId, String tenantUserId, String createdAt, String updatedAt,
                       String paymentProduct, Map<String, Object> paymentInfo) {
    }

    private final TenantAuth tenants;
    private final PaymentStore payments;

    public PaymentController(TenantAuth tenants, PaymentStore payments) {
        this.tenants = tenants;
        this.payments = payments;
    }

    @PostMapping({"/v1/payments/get", "/v1s/payments/get"})
    @Operation(summary = "Get payment", description = "Status: initiated, accepted, pending, settled (final), rejected (final), "
            + "cancelled (final); kept current by polling the bank until final.")
    @ApiDoc(request = GetRequest.class, response = View.class, errors = "not_found (404)")
    public View get(JsonBody body) {
        body.expect(List.of("client_id", "client_secret", "payment_id"), List.of());
        Tenant tenant = tenants.withSecret(body.text("client_id"), body.text("client_secret"));
        ApiException none = ApiException.notFound("No payment " + body.text("payment_id"));
        PaymentStore.Payment p = payments.find(JsonBody.uuid(body.text("payment_id"), none))
                .filter(x -> x.clientId().equals(tenant.clientId())).orElseThrow(() -> none);
        Map<String, Object> transfer = new java.util.LinkedHashMap<>();
        transfer.put("end_to_end_id", p.endToEndId());
        transfer.put("instructed_amount", Map.of("amount", p.amount().toPlainString(), "currency", p.currency()));
        transfer.put("creditor_name", p.creditorName());
        transfer.put("creditor_account", Map.of("iban", p.creditorIban()));
        transfer.put("remittance_information_unstructured", p.remittance());
        Map<String, Object> info = new java.util.LinkedHashMap<>();
        info.put("debtor_account", Map.of("iban", p.debtorIban()));
        info.put("requested_execution_date", p.requestedExecutionDate() == null ? null : p.requestedExecutionDate().toString());
        info.put("credit_transfer_transaction_info", List.of(transfer));
        return new View(p.id().toString(), p.status(), p.bankStatus(), p.skill(), p.sessionId() == null ? null : p.sessionId().toString(),
                p.tenantUserId(), utc(p.createdAt()), utc(p.updatedAt()), p.product(), info);
    }
}
