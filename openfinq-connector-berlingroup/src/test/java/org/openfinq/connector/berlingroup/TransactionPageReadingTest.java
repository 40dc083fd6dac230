package org.openfinq.connector.berlingroup;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.openfinq.connector.AccountInformation;
import org.openfinq.connector.BankException;
import org.openfinq.connector.BankProfile;
import org.openfinq.connector.Psu;
import org.openfinq.connector.Transaction;
import org.openfinq.connector.TransactionPage;
import org.openfinq.connector.TransactionQuery;

import java.net.URI;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A page of transactions is read token by token: every field a bank may send lands where the tree reader put it,
 * whatever the order of the fields, and every malformed page is an invalid answer naming what is wrong.
 */
class TransactionPageReadingTest {

    /** Started before the tests and stopped after them; its stubs are reset before each test. */
    @RegisterExtension
    static final WireMockExtension bank = WireMockExtension.newInstance()
            .options(options().bindAddress("127.0.0.1").dynamicPort()).build();
    static final String PATH = "/psd2/v1/accounts/a1/transactions";

    static AccountInformation ais() {
        BankProfile profile = new BankProfile("paged", "Paged Bank", "berlingroup", URI.create("http://127.0.0.1:" + bank.getPort() + "/psd2"),
                null, null, 0, 0, null, Duration.ofSeconds(2), Duration.ofSeconds(5), Map.of("max_retries", "0"));
        return new BerlinGroupConnector(profile).accountInformation();
    }

    static TransactionPage firstPage(String body) {
        bank.stubFor(get(urlPathEqualTo(PATH)).willReturn(okJson(body)));
        return ais().transactions("c1", "a1", TransactionQuery.both(LocalDate.of(2026, 1, 1), null), null, Psu.UNATTENDED);
    }

    @Test
    void everyFieldIsReadWhateverItsOrderAndUnknownFieldsAreSkipped() {
        TransactionPage page = firstPage("""
                {"_links": {"next": {"href": "/psd2/v1/accounts/a1/transactions?pageIndex=9"}},
                 "unknownTop": {"deep": [1, {"x": [true, null]}], "s": "t"},
                 "transactions": {
                   "pending": [{"transactionId": "P1", "valueDate": "2026-11-03",
                                "transactionAmount": {"amount": "-0.99", "currency": "EUR"},
                                "remittanceInformationUnstructuredArray": ["", "first line", null, "second line"],
                                "creditorAccount": "not an object"}],
                   "links-like": {"next": {"href": "/not/this/one"}},
                   "booked": [
                     {"remittanceInformationStructured": {"reference": "RF18", "nested": [{"a": [1, 2]}, "z"]},
                      "transactionAmount": {"currency": "USD", "extra": {"k": "v"}, "amount": "1234.50"},
                      "transactionId": 12345, "entryReference": "E-1", "endToEndId": null,
                      "bookingDate": "2026-11-02", "valueDate": "2026-11-01",
                      "debtorName": "Ana \\"Pop\\" \\u0218tefan", "debtorAccount": {"iban": "RO49AAAA1B31007593840000", "bban": "x"},
                      "remittanceInformationUnstructured": "Invoice {7}, \\\\ paid",
                      "remittanceInformationUnstructuredArray": ["ignored when the single text is there"],
                      "bankTransactionCode": "PMNT-RCDT-ESCT",
                      "proprietaryBankTransactionCode": "salary",
                      "balanceAfterTransaction": {"balanceType": "interimBooked", "balanceAmount": {"amount": "5000.00", "currency": "USD"},
                                                  "referenceDate": "2026-11-02", "nested": {"x": [1]}},
                      "purposeCode": "SALA"},
                     {"transactionId": "T2", "bookingDate": "2026-11-02", "transactionAmount": {"amount": "-3", "currency": "EUR"},
                      "creditorName": "Shop", "creditorAccount": {"iban": null}, "balanceAfterTransaction": {"balanceAmount": null}}
                   ]
                 }}""");

        assertThat(page.next()).as("without a report link, the answer's next link").isEqualTo("/psd2/v1/accounts/a1/transactions?pageIndex=9");
        List<Transaction> rows = page.transactions();
        assertThat(rows).extracting(Transaction::transactionId).as("booked first, then pending").containsExactly("12345", "T2", "P1");

        Transaction salary = rows.get(0);
        assertThat(salary.status()).isEqualTo(Transaction.BookingStatus.BOOKED);
        assertThat(salary.entryReference()).isEqualTo("E-1");
        assertThat(salary.endToEndId()).isNull();
        assertThat(salary.bookingDate()).isEqualTo(LocalDate.of(2026, 11, 2));
        assertThat(salary.valueDate()).isEqualTo(LocalDate.of(2026, 11, 1));
        assertThat(salary.amount().amount()).isEqualByComparingTo("1234.50");
        assertThat(salary.amount().amount().toPlainString()).isEqualTo("1234.50");
        assertThat(salary.amount().currency()).isEqualTo("USD");
        assertThat(salary.debtorName()).isEqualTo("Ana \"Pop\" Ștefan");
        assertThat(salary.debtorIban()).isEqualTo("RO49AAAA1B31007593840000");
        assertThat(salary.creditorName()).isNull();
        assertThat(salary.creditorIban()).isNull();
        assertThat(salary.remittanceInformation()).isEqualTo("Invoice {7}, \\ paid");
        assertThat(salary.purposeCode()).isEqualTo("SALA");
        assertThat(salary.bankTransactionCode()).isEqualTo("PMNT-RCDT-ESCT");
        assertThat(salary.proprietaryCode()).isEqualTo("salary");
        assertThat(salary.balanceAfter().amount()).isEqualByComparingTo("5000.00");
        assertThat(salary.balanceAfter().currency()).isEqualTo("USD");

        Transaction shop = rows.get(1);
        assertThat(shop.amount().amount()).isEqualByComparingTo("-3");
        assertThat(shop.creditorName()).isEqualTo("Shop");
        assertThat(shop.creditorIban()).isNull();
        assertThat(shop.balanceAfter()).isNull();
        assertThat(shop.valueDate()).isNull();
        assertThat(shop.remittanceInformation()).isNull();

        Transaction pending = rows.get(2);
        assertThat(pending.status()).isEqualTo(Transaction.BookingStatus.PENDING);
        assertThat(pending.bookingDate()).isNull();
        assertThat(pending.valueDate()).isEqualTo(LocalDate.of(2026, 11, 3));
        assertThat(pending.remittanceInformation()).as("lines joined by a space, none before the first text, a null line empty")
                .isEqualTo("first line  second line");
        assertThat(pending.creditorIban()).as("an account that is not an object names no IBAN").isNull();
    }

    @Test
    void theReportsNextLinkWinsOverTheAnswersAndAnEmptyReportIsAnEmptyPage() {
        TransactionPage page = firstPage("""
                {"transactions": {"booked": [], "_links": {"account": {"href": "/a"}, "next": {"href": "/psd2/v1/next-from-report"}}},
                 "_links": {"next": {"href": "/psd2/v1/next-from-answer"}}}""");
        assertThat(page.transactions()).isEmpty();
        assertThat(page.next()).isEqualTo("/psd2/v1/next-from-report");

        TransactionPage last = firstPage("{\"transactions\": {\"booked\": null, \"_links\": {\"account\": {\"href\": \"/a\"}}}}");
        assertThat(last.transactions()).isEmpty();
        assertThat(last.next()).isNull();
    }

    @Test
    void aKeyGivenTwiceCountsWithItsLastValue() {
        TransactionPage page = firstPage("""
                {"transactions": {"booked": [{"transactionId": "OLD", "transactionAmount": {"amount": "1", "currency": "EUR"}}],
                                  "_links": {"next": {"href": "/old"}}},
                 "transactions": {"pending": [{"transactionId": "P9", "transactionId": "P10",
                                               "transactionAmount": {"amount": "1", "currency": "EUR", "amount": "2"},
                                               "remittanceInformationUnstructuredArray": [null]}],
                                  "_links": {"next": {"href": "/first"}, "next": {"title": "no href"}}},
                 "_links": {"next": {"href": "/from-answer"}}}""");
        assertThat(page.transactions()).singleElement().satisfies(t -> {
            assertThat(t.transactionId()).isEqualTo("P10");
            assertThat(t.amount().amount()).isEqualByComparingTo("2");
            assertThat(t.remittanceInformation()).as("one null line is empty text").isEmpty();
        });
        assertThat(page.next()).as("the report's last next has no href: the answer's link").isEqualTo("/from-answer");
    }

    @Test
    void aNextLinkThatIsNotAnObjectOrHasANullHrefFallsBackToTheAnswersLink() {
        assertThat(firstPage("{\"transactions\": {\"_links\": {\"next\": \"/as-a-string\"}}, \"_links\": {\"next\": {\"href\": \"/a\"}}}").next())
                .isEqualTo("/a");
        assertThat(firstPage("{\"transactions\": {\"_links\": {\"next\": {\"href\": null}}}, \"_links\": {\"next\": {\"href\": \"/b\"}}}").next())
                .isEqualTo("/b");
        assertThat(firstPage("{\"transactions\": {\"_links\": {\"next\": {\"href\": \"/c\"}}}, \"_links\": {\"next\": {\"href\": {\"x\": 1}}}}").next())
                .as("a malformed link that is not followed does no harm").isEqualTo("/c");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            an ordinary date         | 2026-11-02   | 2026 | 11 | 2
            the leap day             | 2024-02-29   | 2024 | 2  | 29
            the last day of a month  | 2026-04-30   | 2026 | 4  | 30
            the first day            | 0001-01-01   | 1    | 1  | 1
            the year 9999            | 9999-12-31   | 9999 | 12 | 31
            a year with a sign       | +12026-01-05 | 12026 | 1 | 5
            """)
    void aDateIsReadAsTheIsoDateItNames(String what, String written, int year, int month, int day) {
        Transaction t = firstPage("{\"transactions\": {\"booked\": [{\"bookingDate\": \"" + written + "\", \"valueDate\": \"" + written
                + "\", \"transactionAmount\": {\"amount\": \"1\", \"currency\": \"EUR\"}}]}}").transactions().getFirst();
        assertThat(t.bookingDate()).as(what).isEqualTo(LocalDate.of(year, month, day));
        assertThat(t.valueDate()).as(what).isEqualTo(LocalDate.of(year, month, day));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            February 29 of a common year | 2023-02-29
            February 30                  | 2024-02-30
            April 31                     | 2026-04-31
            month 13                     | 2026-13-01
            month 0                      | 2026-00-10
            day 0                        | 2026-11-00
            a one-digit month            | 2026-1-021
            full-width digits            | ２０２６-11-02
            letters                      | 2026-1a-02
            slashes                      | 2026/11/02
            a time too                   | 2026-11-02T10:00
            """)
    void anImpossibleOrOtherwiseWrittenDateIsRefused(String what, String written) {
        bank.stubFor(get(urlPathEqualTo(PATH)).willReturn(okJson("{\"transactions\": {\"booked\": [{\"valueDate\": \"" + written
                + "\", \"transactionAmount\": {\"amount\": \"1\", \"currency\": \"EUR\"}}]}}")));
        assertThatThrownBy(() -> ais().transactions("c1", "a1", TransactionQuery.both(LocalDate.of(2026, 1, 1), null), null, Psu.UNATTENDED))
                .as(what).isInstanceOf(BankException.InvalidResponse.class)
                .hasMessage("paged: the answer lacks transaction.valueDate as an ISO date");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            not an object                  | []                                                                                             | the answer lacks transactions
            no report                      | {"account": {"iban": "X"}}                                                                     | the answer lacks transactions
            report not an object           | {"transactions": []}                                                                           | the answer lacks transactions
            booked not an array            | {"transactions": {"booked": {"t": 1}}}                                                         | the answer lacks transactions.booked as an array
            an entry not an object         | {"transactions": {"pending": ["T1"]}}                                                          | the answer lacks transactions.pending entries as objects
            no amount                      | {"transactions": {"booked": [{"transactionId": "T1"}]}}                                        | the answer lacks transaction.transactionAmount.amount
            amount as a JSON number        | {"transactions": {"booked": [{"transactionAmount": {"amount": 5, "currency": "EUR"}}]}}        | the answer lacks transaction.transactionAmount.amount
            blank currency                 | {"transactions": {"booked": [{"transactionAmount": {"amount": "5", "currency": " "}}]}}        | the answer lacks transaction.transactionAmount.currency
            amount not a number            | {"transactions": {"booked": [{"transactionAmount": {"amount": "5,00", "currency": "EUR"}}]}}   | the answer lacks transaction.transactionAmount.amount as a number
            name as an object              | {"transactions": {"booked": [{"creditorName": {"n": "x"}, "transactionAmount": {"amount": "1", "currency": "EUR"}}]}} | the answer lacks transaction.creditorName as text
            date not ISO                   | {"transactions": {"booked": [{"bookingDate": "02/11/2026", "transactionAmount": {"amount": "1", "currency": "EUR"}}]}} | the answer lacks transaction.bookingDate as an ISO date
            balance after without amount   | {"transactions": {"booked": [{"transactionAmount": {"amount": "1", "currency": "EUR"}, "balanceAfterTransaction": {"balanceAmount": {"currency": "EUR"}}}]}} | the answer lacks transaction.balanceAfterTransaction.amount
            remittance line as an object   | {"transactions": {"booked": [{"remittanceInformationUnstructuredArray": [{"l": 1}], "transactionAmount": {"amount": "1", "currency": "EUR"}}]}} | the answer lacks transaction.remittanceInformationUnstructuredArray entries as text
            next href as an object         | {"transactions": {"booked": [], "_links": {"next": {"href": {"h": "/x"}}}}}                    | the answer lacks _links.next.href as text
            more after the object          | {"transactions": {"booked": []}} {"transactions": {}}                                          | the answer lacks transactions as one JSON object (more follows it)
            cut off                        | {"transactions": {"booked": [{"transactionId": "T1"                                            | answered 200 with a body that is not JSON
            not JSON at all                | <html>maintenance</html>                                                                       | answered 200 with a body that is not JSON
            """)
    void aMalformedPageIsAnInvalidAnswerNamingWhatIsWrong(String what, String body, String message) {
        bank.stubFor(get(urlPathEqualTo(PATH)).willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(body)));
        assertThatThrownBy(() -> ais().transactions("c1", "a1", TransactionQuery.both(LocalDate.of(2026, 1, 1), null), null, Psu.UNATTENDED))
                .as(what).isInstanceOfSatisfying(BankException.InvalidResponse.class, e -> {
                    if (message.startsWith("the answer lacks")) {
                        assertThat(e.getMessage()).isEqualTo("paged: " + message);
                    } else {
                        assertThat(e.getMessage()).startsWith("paged: GET /v1/accounts/a1/transactions?dateFrom=2026-01-01&bookingStatus=both answered 200").endsWith(message);
                    }
                    assertThat(e.retryable()).isFalse();
                });
    }

    @Test
    void anEmptyBodyIsAnInvalidAnswer() {
        bank.stubFor(get(urlPathEqualTo(PATH)).willReturn(aResponse().withStatus(200)));
        assertThatThrownBy(() -> ais().transactions("c1", "a1", TransactionQuery.both(LocalDate.of(2026, 1, 1), null), null, Psu.UNATTENDED))
                .isInstanceOf(BankException.InvalidResponse.class).hasMessage("paged: the answer lacks transactions");
    }
}
