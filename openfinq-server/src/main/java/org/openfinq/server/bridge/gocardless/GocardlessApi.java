package org.openfinq.server.bridge.gocardless;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.swagger.v3.oas.annotations.media.Schema;

import java.util.List;

/**
 * Wire shapes of the GoCardless Bank Account Data v2 API (names exactly as GoCardless spells them: snake_case for its
 * own objects, Berlin Group camelCase inside accounts' details, balances and transactions) and of its admin API.
 */
public final class GocardlessApi {

    private GocardlessApi() {
    }

    @Schema(name = "GocardlessError", description = "GoCardless's error shape")
    public record Error(@Schema(example = "Invalid token") String summary, String detail,
                        @JsonProperty("status_code") int statusCode) {
    }

    @Schema(name = "GocardlessSecretPair")
    public record NewToken(@JsonProperty("secret_id") String secretId, @JsonProperty("secret_key") String secretKey) {
    }

    @Schema(name = "GocardlessRefreshRequest")
    public record RefreshRequest(@JsonProperty("refresh") String refresh) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(name = "GocardlessTokens", description = "JWTs: the access token for 'Authorization: Bearer', the refresh "
            + "token for token/refresh/; *_expires in seconds")
    public record Tokens(@JsonProperty("access") String access, @JsonProperty("access_expires") long accessExpires,
                         @JsonProperty("refresh") String refresh, @JsonProperty("refresh_expires") Long refreshExpires) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(name = "GocardlessInstitution")
    public record Institution(@JsonProperty("id") String id, @JsonProperty("name") String name,
                              @JsonProperty("bic") String bic,
                              @Schema(example = "730") @JsonProperty("transaction_total_days") String transactionTotalDays,
                              @Schema(example = "90") @JsonProperty("max_access_valid_for_days") String maxAccessValidForDays,
                              @JsonProperty("countries") List<String> countries, @JsonProperty("logo") String logo,
                              @JsonProperty("supported_payments") Object supportedPayments,
                              @JsonProperty("supported_features") List<String> supportedFeatures,
                              @JsonProperty("identification_codes") List<String> identificationCodes) {
    }

    @Schema(name = "GocardlessAgreementRequest")
    public record AgreementRequest(@JsonProperty("institution_id") String institutionId,
                                   @Schema(description = "Number or numeric string; default 90")
                                   @JsonProperty("max_historical_days") Object maxHistoricalDays,
                                   @Schema(description = "Number or numeric string; default 90")
                                   @JsonProperty("access_valid_for_days") Object accessValidForDays,
                                   @JsonProperty("access_scope") List<String> accessScope) {
    }

    @Schema(name = "GocardlessAgreement", description = "An end user agreement")
    public record Agreement(@JsonProperty("id") String id, @JsonProperty("created") String created,
                            @JsonProperty("institution_id") String institutionId,
                            @JsonProperty("max_historical_days") int maxHistoricalDays,
                            @JsonProperty("access_valid_for_days") int accessValidForDays,
                            @JsonProperty("access_scope") List<String> accessScope,
                            @Schema(nullable = true) @JsonProperty("accepted") String accepted,
                            @JsonProperty("reconfirmation") boolean reconfirmation) {
    }

    @Schema(name = "GocardlessAcceptRequest")
    public record AcceptRequest(@JsonProperty("user_agent") String userAgent, @JsonProperty("ip_address") String ipAddress) {
    }

    @Schema(name = "GocardlessRequisitionRequest")
    public record RequisitionRequest(@JsonProperty("redirect") String redirect, @JsonProperty("institution_id") String institutionId,
                                     @JsonProperty("agreement") String agreement, @JsonProperty("reference") String reference,
                                     @JsonProperty("user_language") String userLanguage, @JsonProperty("ssn") String ssn,
                                     @JsonProperty("redirect_immediate") Boolean redirectImmediate,
                                     @JsonProperty("account_selection") Boolean accountSelection) {
    }

    @Schema(name = "GocardlessRequisition")
    public record Requisition(@JsonProperty("id") String id, @JsonProperty("created") String created,
                              @JsonProperty("redirect") String redirect,
                              @Schema(allowableValues = {"CR", "GC", "UA", "RJ", "GA", "LN", "EX"}) @JsonProperty("status") String status,
                              @JsonProperty("institution_id") String institutionId,
                              @Schema(nullable = true) @JsonProperty("agreement") String agreement,
                              @JsonProperty("reference") String reference, @JsonProperty("accounts") List<String> accounts,
                              @Schema(nullable = true) @JsonProperty("user_language") String userLanguage,
                              @Schema(description = "Open in the end-user's browser: openfinq's Connect pages, then the bank")
                              @JsonProperty("link") String link,
                              @Schema(nullable = true) @JsonProperty("ssn") String ssn,
                              @JsonProperty("account_selection") boolean accountSelection,
                              @JsonProperty("redirect_immediate") boolean redirectImmediate) {
    }

    @Schema(name = "GocardlessRequisitionPage")
    public record RequisitionPage(int count, String next, String previous, List<Requisition> results) {
    }

    @Schema(name = "GocardlessAgreementPage")
    public record AgreementPage(int count, String next, String previous, List<Agreement> results) {
    }

    @Schema(name = "GocardlessDeleted")
    public record Deleted(@Schema(example = "Requisition deleted") String summary, String detail) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(name = "GocardlessAccount", description = "Account metadata")
    public record Account(@JsonProperty("id") String id, @JsonProperty("created") String created,
                          @JsonProperty("last_accessed") String lastAccessed, @JsonProperty("iban") String iban,
                          @JsonProperty("institution_id") String institutionId,
                          @Schema(allowableValues = {"READY", "EXPIRED"}) @JsonProperty("status") String status,
                          @JsonProperty("owner_name") String ownerName) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(name = "GocardlessAccountDetail")
    public record AccountDetail(@JsonProperty("resourceId") String resourceId, @JsonProperty("iban") String iban,
                                @JsonProperty("currency") String currency, @JsonProperty("name") String name,
                                @JsonProperty("product") String product, @JsonProperty("cashAccountType") String cashAccountType) {
    }

    @Schema(name = "GocardlessDetails")
    public record Details(@JsonProperty("account") AccountDetail account) {
    }

    @Schema(name = "GocardlessAmount")
    public record Amount(@Schema(example = "-12.30") @JsonProperty("amount") String amount, @JsonProperty("currency") String currency) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(name = "GocardlessBalance")
    public record Balance(@JsonProperty("balanceAmount") Amount balanceAmount,
                          @Schema(example = "interimAvailable") @JsonProperty("balanceType") String balanceType,
                          @JsonProperty("referenceDate") String referenceDate,
                          @JsonProperty("lastChangeDateTime") String lastChangeDateTime) {
    }

    @Schema(name = "GocardlessBalances")
    public record Balances(@JsonProperty("balances") List<Balance> balances) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(name = "GocardlessTransaction", description = "Berlin Group names")
    public record Transaction(@Schema(description = "Booked only: our utx_id, the same across syncs")
                              @JsonProperty("transactionId") String transactionId,
                              @JsonProperty("internalTransactionId") String internalTransactionId,
                              @JsonProperty("bookingDate") String bookingDate,
                              @JsonProperty("bookingDateTime") String bookingDateTime,
                              @JsonProperty("valueDate") String valueDate,
                              @JsonProperty("transactionAmount") Amount transactionAmount,
                              @JsonProperty("creditorName") String creditorName,
                              @JsonProperty("debtorName") String debtorName,
                              @JsonProperty("remittanceInformationUnstructured") String remittanceInformationUnstructured) {
    }

    @Schema(name = "GocardlessTransactionLists")
    public record TransactionLists(@JsonProperty("booked") List<Transaction> booked,
                                   @JsonProperty("pending") List<Transaction> pending) {
    }

    @Schema(name = "GocardlessTransactions")
    public record Transactions(@JsonProperty("transactions") TransactionLists transactions) {
    }

    // --- admin -----------------------------------------------------------------------------------------------

    @Schema(name = "GocardlessSecretRequest")
    public record SecretRequest(@Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "The end-user whose "
            + "requisitions the pair creates and reads (the tenant_user_id of sessions and Connect)") String tenantUserId) {
    }

    @Schema(name = "GocardlessSecret", description = "A secret pair, shown once: give secret_id and secret_key to the app")
    public record Secret(String secretId, String secretKey, String tenantUserId, String createdAt) {
    }

    @Schema(name = "GocardlessSecretInfo", description = "A secret pair issued and its state (no secret)")
    public record SecretInfo(String secretId, String tenantUserId,
                             @Schema(allowableValues = {"active", "revoked"}) String state, String createdAt,
                             @Schema(nullable = true) String lastUsedAt, @Schema(nullable = true) String revokedAt) {
    }
}
