package org.openfinq.server.bridge.simplefin;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.swagger.v3.oas.annotations.media.Schema;

import java.util.List;

/** Wire shapes of the SimpleFIN Bridge protocol (names exactly as the protocol spells them) and of its admin API. */
public final class SimplefinApi {

    private SimplefinApi() {
    }

    @Schema(name = "SimplefinAccountSet", description = "The answer of GET {access_url}/accounts")
    public record AccountSet(
            @Schema(description = "Messages for the end-user, e.g. \"Connection to <bank> may need attention: ...\"")
            @JsonProperty("errors") List<String> errors,
            @JsonProperty("accounts") List<Account> accounts) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(name = "SimplefinOrganization", description = "The bank (servicer) holding the account")
    public record Org(@Schema(description = "The servicer id of our catalog") @JsonProperty("id") String id,
                      @JsonProperty("name") String name,
                      @Schema(description = "This server's SimpleFIN root") @JsonProperty("sfin-url") String sfinUrl) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(name = "SimplefinAccount")
    public record Account(@JsonProperty("org") Org org,
                          @Schema(description = "Our account id (as account_id in /v1)") @JsonProperty("id") String id,
                          @JsonProperty("name") String name,
                          @Schema(example = "EUR") @JsonProperty("currency") String currency,
                          @Schema(description = "Signed decimal string with at least two decimals", example = "1234.50")
                          @JsonProperty("balance") String balance,
                          @Schema(nullable = true, description = "Absent when the bank reports no available balance")
                          @JsonProperty("available-balance") String availableBalance,
                          @Schema(description = "Unix time of the balance") @JsonProperty("balance-date") long balanceDate,
                          @JsonProperty("transactions") List<Transaction> transactions) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(name = "SimplefinTransaction")
    public record Transaction(@Schema(description = "utx_id: the same across syncs and reconnections") @JsonProperty("id") String id,
                              @Schema(description = "Unix time of booking; 0 while pending") @JsonProperty("posted") long posted,
                              @Schema(description = "Signed: negative for money out", example = "-12.30") @JsonProperty("amount") String amount,
                              @JsonProperty("description") String description,
                              @Schema(nullable = true) @JsonProperty("payee") String payee,
                              @Schema(nullable = true, description = "Unix time of the value date (midnight UTC) when the bank gives one")
                              @JsonProperty("transacted_at") Long transactedAt,
                              @JsonProperty("pending") boolean pending) {
    }

    @Schema(name = "SimplefinInfo")
    public record Info(@JsonProperty("versions") List<String> versions) {
    }

    @Schema(name = "SimplefinTokenRequest")
    public record TokenRequest(@Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "The end-user whose consents the "
            + "access URL reads (the tenant_user_id of sessions and Connect)") String tenantUserId) {
    }

    @Schema(name = "SimplefinToken", description = "A setup token, shown once: Base64 of the claim URL. Give it to the app "
            + "(Actual Budget, Sure, Firefly III data importer); the app POSTs the claim URL once and gets its access URL.")
    public record Token(String id, String tenantUserId, String setupToken, String claimUrl, String claimExpiresAt) {
    }

    @Schema(name = "SimplefinGrant", description = "A setup token issued and what became of it (no secret)")
    public record Grant(String id, String tenantUserId,
                        @Schema(allowableValues = {"unclaimed", "expired", "claimed", "revoked"}) String state,
                        String createdAt, String claimExpiresAt,
                        @Schema(nullable = true) String claimedAt, @Schema(nullable = true) String lastUsedAt,
                        @Schema(nullable = true) String revokedAt) {
    }
}
