package org.openfinq.connector;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** Account information (PSD2 AIS) at one bank. */
public interface AccountInformation {

    /** Creates a consent at the bank; the PSU authorises it as {@link ConsentStart#authorisation()} says. */
    ConsentStart createConsent(ConsentRequest request, Psu psu, Psu.Redirects redirects);

    /**
     * Finishes a redirect authorisation whose {@link Authorisation.Redirect#continuation()} was not null, with the
     * query parameters the PSU's browser brought back (e.g. exchanges an OAuth2 authorization code). Throws
     * {@link BankException.ScaFailed} when the PSU denied or the bank refused. Connectors that never answer a
     * continuation need not implement it.
     */
    default void completeRedirect(String consentId, String continuation, java.util.Map<String, String> callback, Psu psu) {
        throw new UnsupportedOperationException("this connector answers no redirect continuation");
    }

    /** The consent's current status at the bank. */
    ConsentStatus consentStatus(String consentId, Psu psu);

    /** Revokes the consent at the bank. Deleting a consent the bank no longer knows is not an error. */
    void deleteConsent(String consentId, Psu psu);

    /** The accounts the consent covers. */
    List<Account> accounts(String consentId, Psu psu);

    /** The balances of one account. */
    List<Balance> balances(String consentId, String accountId, Psu psu);

    /**
     * One page of an account's transactions.
     *
     * @param cursor null for the first page, then {@link TransactionPage#next()}
     */
    TransactionPage transactions(String consentId, String accountId, TransactionQuery query, String cursor, Psu psu);

    /** Every page of an account's transactions, in order, handed to {@code pages} one at a time. */
    default void forEachTransactionPage(String consentId, String accountId, TransactionQuery query, Psu psu,
                                        Consumer<TransactionPage> pages) {
        String cursor = null;
        do {
            TransactionPage page = transactions(consentId, accountId, query, cursor, psu);
            pages.accept(page);
            cursor = page.next();
        } while (cursor != null);
    }

    /** All transactions of an account in the range, every page read. */
    default List<Transaction> allTransactions(String consentId, String accountId, LocalDate from, LocalDate to, Psu psu) {
        List<Transaction> all = new ArrayList<>();
        forEachTransactionPage(consentId, accountId, TransactionQuery.both(from, to), psu, p -> all.addAll(p.transactions()));
        return all;
    }
}
