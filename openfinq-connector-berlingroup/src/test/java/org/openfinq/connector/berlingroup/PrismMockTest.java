package org.openfinq.connector.berlingroup;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openfinq.connector.Account;
import org.openfinq.connector.Balance;
import org.openfinq.connector.BankProfile;
import org.openfinq.connector.ConsentRequest;
import org.openfinq.connector.ConsentStart;
import org.openfinq.connector.ConsentStatus;
import org.openfinq.connector.Connector;
import org.openfinq.connector.Money;
import org.openfinq.connector.PaymentOrder;
import org.openfinq.connector.PaymentStart;
import org.openfinq.connector.Psu;
import org.openfinq.connector.Transaction;
import org.openfinq.connector.berlingroup.spec.NextGenPsd2Spec;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The connector against a bank nobody here wrote: Stoplight Prism ({@code conformance/}, pinned in its
 * package-lock.json) serving a mock of the NextGenPSD2 1.3.9 OpenAPI file from the file's own examples. Prism checks
 * every request against the file and answers one that breaks it with the file's 400 example (so the call fails), and
 * logs "Request did not pass the validation rules", which fails the run too. ({@code --errors} is not used: it also
 * turns Prism's own generated {@code Location: string} header, which the file types as a URL, into a 500.) The
 * expected values below are the examples' values as the file prints them.
 */
class PrismMockTest {

    static final Psu PSU = Psu.present("192.168.8.78");
    static final Psu.Redirects REDIRECTS = new Psu.Redirects(URI.create("https://tpp.invalid/ok?state=1"),
            URI.create("https://tpp.invalid/nok?state=1"));

    static Process prism;
    static final List<String> output = Collections.synchronizedList(new ArrayList<>());
    static Connector connector;

    @BeforeAll
    static void startPrism() throws Exception {
        Path dir = Path.of("..", "conformance").toAbsolutePath().normalize();
        Path cli = dir.resolve("node_modules/@stoplight/prism-cli/dist/index.js");
        if (!Files.isRegularFile(cli)) {
            int npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund").directory(dir.toFile()).inheritIO().start().waitFor();
            if (npm != 0 || !Files.isRegularFile(cli)) {
                fail("The Prism mock test needs the npm packages pinned in conformance/package-lock.json; 'npm ci' in " + dir + " failed");
            }
        }
        Path spec = Path.of(PrismMockTest.class.getResource(NextGenPsd2Spec.RESOURCE).toURI());
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        prism = new ProcessBuilder("node", cli.toString(), "mock", "--host", "127.0.0.1", "--port", Integer.toString(port),
                spec.toString()).directory(dir.toFile()).redirectErrorStream(true).start();
        CountDownLatch listening = new CountDownLatch(1);
        Thread.ofVirtual().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(prism.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    output.add(line);
                    if (line.contains("Prism is listening")) {
                        listening.countDown();
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        if (!listening.await(120, TimeUnit.SECONDS)) {
            fail("Prism did not start within 120 s; its output:\n" + String.join("\n", output));
        }
        BankProfile profile = new BankProfile("prism", "Prism mock of NextGenPSD2 1.3.9", "berlingroup",
                URI.create("http://127.0.0.1:" + port), BankProfile.ScaApproach.REDIRECT, null, 730, 4, null, null, null, null);
        connector = new BerlinGroupConnector(profile);
    }

    @AfterAll
    static void stopPrism() throws InterruptedException {
        List<String> log = List.copyOf(output);
        long passed = log.stream().filter(l -> l.contains("The request passed the validation rules")).count();
        List<String> refused = log.stream().filter(l -> l.contains("Request did not pass the validation rules")
                || l.contains("Violation: request")).toList();
        long ownAnswers = log.stream().filter(l -> l.contains("Violation: response")).count();
        System.out.printf("Prism mock: %d requests passed Prism's validation, %d lines of refusal; %d notes on Prism's "
                + "own generated answers (Location: string)%n", passed, refused.size(), ownAnswers);
        refused.forEach(l -> System.out.println("  " + l));
        if (prism != null) {
            prism.destroy();
            if (!prism.waitFor(10, TimeUnit.SECONDS)) {
                prism.destroyForcibly();
            }
        }
        assertThat(refused).as("requests Prism found to break the NextGenPSD2 file").isEmpty();
        assertThat(passed).as("requests Prism validated").isGreaterThanOrEqualTo(9);
    }

    @Test
    void consentIsCreatedWithTheRedirectExample() {
        ConsentStart start = connector.accountInformation().createConsent(
                new ConsentRequest(List.of(), true, LocalDate.now().plusDays(90), 4), PSU, REDIRECTS);
        assertThat(start.consentId()).isEqualTo("1234-wertiq-983");
        assertThat(start.status()).isEqualTo(ConsentStatus.RECEIVED);
        assertThat(start.scaRedirect()).isEqualTo(URI.create("https://www.testbank.com/authentication/1234-wertiq-983"));
    }

    @Test
    void consentForNamedAccountsIsAccepted() {
        ConsentStart start = connector.accountInformation().createConsent(
                new ConsentRequest(List.of("DE40100100103307118608"), false, LocalDate.now().plusDays(1), 1), PSU, REDIRECTS);
        assertThat(start.consentId()).isEqualTo("1234-wertiq-983");
    }

    @Test
    void consentStatusIsRead() {
        assertThat(connector.accountInformation().consentStatus("1234-wertiq-983", PSU)).isEqualTo(ConsentStatus.VALID);
    }

    @Test
    void consentIsDeleted() {
        connector.accountInformation().deleteConsent("1234-wertiq-983", PSU);
    }

    @Test
    void accountsAreRead() {
        List<Account> accounts = connector.accountInformation().accounts("1234-wertiq-983", PSU);
        assertThat(accounts).extracting(Account::resourceId)
                .containsExactly("3dc3d5b3-7023-4848-9853-f5400a64e80f", "3dc3d5b3-7023-4848-9853-f5400a64e81e");
        assertThat(accounts).extracting(Account::currency).containsExactly("EUR", "USD");
        assertThat(accounts.getFirst().iban()).isEqualTo("DE2310010010123456789");
    }

    @Test
    void balancesAreRead() {
        List<Balance> balances = connector.accountInformation().balances("1234-wertiq-983", "3dc3d5b3-7023-4848-9853-f5400a64e80f", PSU);
        assertThat(balances).extracting(Balance::type).containsExactly("closingBooked", "expected");
        assertThat(balances.getFirst().amount()).isEqualTo(Money.of("500.00", "EUR"));
        assertThat(balances.getFirst().referenceDate()).isEqualTo(LocalDate.of(2017, 10, 25));
    }

    @Test
    void transactionsAreRead() {
        List<Transaction> txs = connector.accountInformation().allTransactions("1234-wertiq-983",
                "3dc3d5b3-7023-4848-9853-f5400a64e80f", LocalDate.of(2017, 10, 1), null, PSU);
        assertThat(txs).extracting(Transaction::transactionId).containsExactly("1234567", "1234568", "1234569");
        assertThat(txs).extracting(Transaction::status).containsExactly(Transaction.BookingStatus.BOOKED,
                Transaction.BookingStatus.BOOKED, Transaction.BookingStatus.PENDING);
        assertThat(txs.get(2).amount()).isEqualTo(Money.of("-100.03", "EUR"));
    }

    @Test
    void paymentIsInitiatedAndItsStatusRead() {
        PaymentStart start = connector.paymentInitiation().initiate(new PaymentOrder("sepa-credit-transfers", "E2E-PRISM-1",
                "DE40100100103307118608", Money.of("123.50", "EUR"), "Merchant123", "DE02100100109307118603",
                "Ref Number Merchant", null), PSU, REDIRECTS);
        assertThat(start.paymentId()).isEqualTo("1234-wertiq-983");
        assertThat(start.transactionStatus()).isEqualTo("RCVD");
        assertThat(start.scaRedirect()).isEqualTo(URI.create("https://www.testbank.com/asdfasdfasdf"));
        assertThat(connector.paymentInitiation().status("sepa-credit-transfers", "1234-wertiq-983", PSU)).isEqualTo("ACCP");
    }
}
