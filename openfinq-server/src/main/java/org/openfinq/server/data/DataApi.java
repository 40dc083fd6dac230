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
                                      TransactionFilterDoc filter,
                                      @Schema(description = "At most this many transactions, 1 to 10000; absent = all, streamed. "
                                              + "When more follow, the Openfinq-Next-Cursor response header leads to them",
                                              minimum = "1", maximum = "10000") Integer limit,
                                      @Schema(description = "The Openfinq-Next-Cursor header of the previous page (opaque; "
                                              + "only with the same credentials_id and filter): the transactions after it") String cursor) {
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
    public record Account(String id, String servicerId,
                          @Schema(nullable = true, description = "Null only if the servicer left the catalog") String servicerName,
                          String timestamp, AccountData data) {
    }

    @Schema(name = "AccountData")
    public record AccountData(List<Scheme> accountSchemes, List<AccountBalance> balances,
                              @Schema(nullable = true, description = "Null when the bank gives no cash account type") String accountSubType,
                              @Schema(nullable = true, description = "The bank's product name; null when it gives none") String accountType,
                              String currency, String name, String nickname) {
    }

    @Schema(name = "AccountScheme")
    public record Scheme(String identification, @Schema(allowableValues = {"IBAN", "BICFI"}) String schemeName) {
    }

    @Schema(name = "AccountBalance")
    public record AccountBalance(String balanceAmount, String balanceCurrency, String balanceType,
                                 @Schema(description = "false when the bank does not say") boolean creditLimitIncluded,
                                 @Schema(allowableValues = {"credit", "debit"}) String creditDebitIndicator) {
    }

    @Schema(name = "Balance")
    public record Balance(String accountId, String id, String timestamp, BalanceData data) {
    }

    @Schema(name = "BalanceData")
    public record BalanceData(@Schema(description = "Always positive; see credit_debit_indicator") String amount,
                              String creditDebitIndicator,
                              @Schema(description = "false when the bank does not say") boolean creditLimitIncluded,
                              @Schema(nullable = true, description = "Not reported by banks; always null") Object creditLine,
                              String currency,
                              @Schema(nullable = true, description = "The bank's date, for closing balances; null otherwise") String nativeDate,
                              @Schema(nullable = true, description = "The bank's time, for intraday balances; null otherwise") String nativeTimestamp,
                              @Schema(example = "InterimAvailable") String type) {
    }

    @Schema(name = "Transaction")
    public record Transaction(String accountId,
                              @Schema(description = "When openfinq last created or changed it (UTC, whole seconds); the timestamp_* "
                                      + "filters compare in whole seconds, so timestamp_gte of the last seen value finds every change")
                              String timestamp, String id,
                              @Schema(description = "Same transaction, same id, across syncs and consents") String utxId,
                              TransactionData data) {
    }

    @Schema(name = "TransactionData")
    public record TransactionData(String amount,
                                  @Schema(nullable = true, description = "Account balance after it; null when the bank does not report "
                                          + "it (always for pending transactions)") String balance,
                                  @Schema(nullable = true, description = "Null while the transaction is pending (not booked yet)") String bookingDateTime,
                                  String creditDebitIndicator, String currency,
                                  @Schema(nullable = true, description = "The remittance text; null when the bank gives none") String info,
                                  @Schema(allowableValues = {"booked", "pending"}) String status,
                                  @Schema(description = "{category, merchant, location, tags, attach}; category, merchant and location "
                                          + "are null when unknown") Map<String, Object> details,
                                  @Schema(nullable = true, description = "Not reported yet; always null") Object exchangeRate) {
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
