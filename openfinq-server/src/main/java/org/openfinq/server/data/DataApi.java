package org.openfinq.server.data;

import io.swagger.v3.oas.annotations.media.Schema;

import java.util.List;
import java.util.Map;

/** Request and response shapes of the Accounts, Balances and Transactions APIs (Finqware v1). */
public final class DataApi {

    private DataApi() {
    }

    @Schema(name = "AccountsRequest")
    public record AccountsRequest(@Schema(requiredMode = Schema.RequiredMode.REQUIRED) String clientId,
                                  @Schema(requiredMode = Schema.RequiredMode.REQUIRED) String clientSecret,
                                  @Schema(requiredMode = Schema.RequiredMode.REQUIRED) String credentialsId,
                                  @Schema(requiredMode = Schema.RequiredMode.REQUIRED) String accessToken,
                                  @Schema(requiredMode = Schema.RequiredMode.REQUIRED) String tenantUserId) {
    }

    @Schema(name = "BalancesRequest")
    public record BalancesRequest(@Schema(requiredMode = Schema.RequiredMode.REQUIRED) String clientId,
                                  @Schema(requiredMode = Schema.RequiredMode.REQUIRED) String clientSecret,
                                  @Schema(requiredMode = Schema.RequiredMode.REQUIRED) String credentialsId,
                                  @Schema(requiredMode = Schema.RequiredMode.REQUIRED) String accessToken,
                                  @Schema(requiredMode = Schema.RequiredMode.REQUIRED) String tenantUserId,
                                  BalanceFilter filter) {
    }

    @Schema(name = "BalanceFilter")
    public record BalanceFilter(@Schema(format = "uuid") String accountId, @Schema(example = "Expected") String type,
                                @Schema(example = "RON") String currency) {
    }

    @Schema(name = "TransactionsRequest")
    public record TransactionsRequest(@Schema(requiredMode = Schema.RequiredMode.REQUIRED) String clientId,
                                      @Schema(requiredMode = Schema.RequiredMode.REQUIRED) String clientSecret,
                                      @Schema(requiredMode = Schema.RequiredMode.REQUIRED) String credentialsId,
                                      @Schema(requiredMode = Schema.RequiredMode.REQUIRED) String accessToken,
                                      @Schema(requiredMode = Schema.RequiredMode.REQUIRED) String tenantUserId,
                                      TransactionFilterDoc filter) {
    }

    @Schema(name = "TransactionFilter", description = "Every element optional; all given must match. Amounts are JSON numbers "
            + "(or decimal strings) compared with the positive amount; dates are UTC date-times (or dates, meaning midnight UTC).")
    public record TransactionFilterDoc(@Schema(format = "uuid") String accountId, String currency,
                                       @Schema(allowableValues = {"booked", "pending"}) String status,
                                       @Schema(allowableValues = {"debit", "credit"}) String creditDebitIndicator,
                                       @Schema(example = "groceries") String category,
                                       Double eq, Double gte, Double gt, Double lte, Double lt,
                                       String bookingDateEq, String bookingDateGte, String bookingDateGt, String bookingDateLte,
                                       String bookingDateLt, String timestampEq, String timestampGte, String timestampGt,
                                       String timestampLte, String timestampLt) {
    }

    @Schema(name = "Account")
    public record Account(String id, String servicerId, String servicerName, String timestamp, AccountData data) {
    }

    @Schema(name = "AccountData")
    public record AccountData(List<Scheme> accountSchemes, List<AccountBalance> balances, String accountSubType,
                              String accountType, String currency, String name, String nickname) {
    }

    @Schema(name = "AccountScheme")
    public record Scheme(String identification, @Schema(allowableValues = {"IBAN", "BICFI"}) String schemeName) {
    }

    @Schema(name = "AccountBalance")
    public record AccountBalance(String balanceAmount, String balanceCurrency, String balanceType, Boolean creditLimitIncluded,
                                 @Schema(allowableValues = {"credit", "debit"}) String creditDebitIndicator) {
    }

    @Schema(name = "Balance")
    public record Balance(String accountId, String id, String timestamp, BalanceData data) {
    }

    @Schema(name = "BalanceData")
    public record BalanceData(@Schema(description = "Always positive; see credit_debit_indicator") String amount,
                              String creditDebitIndicator, Boolean creditLimitIncluded, Object creditLine, String currency,
                              String nativeDate, String nativeTimestamp, @Schema(example = "InterimAvailable") String type) {
    }

    @Schema(name = "Transaction")
    public record Transaction(String accountId, @Schema(description = "When openfinq stored it") String timestamp, String id,
                              @Schema(description = "Same transaction, same id, across syncs and consents") String utxId,
                              TransactionData data) {
    }

    @Schema(name = "TransactionData")
    public record TransactionData(String amount, @Schema(description = "Account balance after it, when the bank reports it") String balance,
                                  String bookingDateTime, String creditDebitIndicator, String currency, String info,
                                  @Schema(allowableValues = {"booked", "pending"}) String status,
                                  @Schema(description = "{category, merchant, location, tags, attach}") Map<String, Object> details,
                                  Object exchangeRate) {
    }

    @Schema(name = "TransactionsSyncRequest")
    public record TransactionsSyncRequest(@Schema(requiredMode = Schema.RequiredMode.REQUIRED) String clientId,
                                          @Schema(requiredMode = Schema.RequiredMode.REQUIRED) String clientSecret,
                                          @Schema(requiredMode = Schema.RequiredMode.REQUIRED) String credentialsId,
                                          @Schema(requiredMode = Schema.RequiredMode.REQUIRED) String accessToken,
                                          @Schema(requiredMode = Schema.RequiredMode.REQUIRED) String tenantUserId,
                                          @Schema(description = "next_cursor of the previous call; absent = from the beginning. "
                                                  + "Valid 30 days after it was given") String cursor,
                                          @Schema(description = "Changes per page, 1 to 500", defaultValue = "100") Integer count) {
    }

    @Schema(name = "TransactionsSyncPage", description = "Changes since the cursor, each transaction once, at its latest state. "
            + "From no cursor, paging until has_more is false yields every transaction of transactions/get exactly once.")
    public record TransactionsSyncPage(
            @Schema(description = "Transactions new since the cursor") List<Transaction> added,
            @Schema(description = "Transactions changed since the cursor (same id and utx_id; e.g. pending to booked)") List<Transaction> modified,
            @Schema(description = "Transactions removed since the cursor (e.g. a pending one the bank stopped reporting)") List<Removed> removed,
            @Schema(description = "Opaque; pass it back to continue, now or later, on any node") String nextCursor,
            @Schema(description = "More changes follow right now; call again with next_cursor") boolean hasMore) {
    }

    @Schema(name = "RemovedTransaction")
    public record Removed(@Schema(format = "uuid") String id, String utxId) {
    }
}
