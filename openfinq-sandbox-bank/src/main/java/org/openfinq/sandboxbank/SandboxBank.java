package org.openfinq.sandboxbank;

import com.sun.net.httpserver.HttpServer;
import org.openfinq.sandboxbank.account.AccountResource;
import org.openfinq.sandboxbank.consent.ConsentResource;
import org.openfinq.sandboxbank.data.SandboxData;
import org.openfinq.sandboxbank.http.Router;
import org.openfinq.sandboxbank.payment.PaymentResource;
import org.openfinq.sandboxbank.sca.AutomationResource;
import org.openfinq.sandboxbank.sca.ScaPages;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.LocalDate;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A running sandbox bank. Embedded: {@code SandboxBank.start(config)}; standalone:
 * {@code java -jar openfinq-sandbox-bank.jar [--port N] [--seed N] [--large-psu N]}.
 */
public final class SandboxBank implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService executor;
    private final SandboxState state;
    private final String url;

    private SandboxBank(HttpServer server, ExecutorService executor, SandboxState state, String url) {
        this.server = server;
        this.executor = executor;
        this.state = state;
        this.url = url;
    }

    public static SandboxBank start(SandboxConfig config) {
        // the JDK server otherwise leaves Nagle on: small answers then wait for the client's delayed ACK (~40 ms)
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(config.host(), config.port()), 512);
            String url = "http://" + config.host() + ":" + server.getAddress().getPort();
            SandboxData data = new SandboxData(config.seed(), config.anchor(), config.largePsuTransactions(),
                    LocalDate.now(config.clock()));
            SandboxState state = new SandboxState(config, data);
            Router router = new Router();
            ConsentResource consents = new ConsentResource(state, url);
            AccountResource accounts = new AccountResource(state);
            PaymentResource payments = new PaymentResource(state, accounts, url);
            consents.register(router);
            accounts.register(router);
            payments.register(router);
            new ScaPages(state, consents, payments).register(router);
            new AutomationResource(state, consents, payments).register(router);
            server.createContext("/", router);
            ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
            server.setExecutor(executor);
            server.start();
            return new SandboxBank(server, executor, state, url);
        } catch (IOException e) {
            throw new UncheckedIOException("The sandbox bank could not bind " + config.host() + ":" + config.port(), e);
        }
    }

    /** The bank's API root, e.g. {@code http://127.0.0.1:41234}. */
    public String url() {
        return url;
    }

    public SandboxData data() {
        return state.data();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    public static void main(String[] args) {
        SandboxConfig config = SandboxConfig.defaults().withPort(8090);
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--port" -> config = config.withPort(Integer.parseInt(args[i + 1]));
                case "--seed" -> config = config.withSeed(Long.parseLong(args[i + 1]));
                case "--large-psu" -> config = config.withLargePsuTransactions(Integer.parseInt(args[i + 1]));
                case "--page-size" -> config = config.withPageSize(Integer.parseInt(args[i + 1]));
                default -> {
                    System.err.println("usage: sandbox-bank [--port N] [--seed N] [--large-psu N] [--page-size N]");
                    System.exit(2);
                }
            }
        }
        SandboxBank bank = start(config);
        Runtime.getRuntime().addShutdownHook(new Thread(bank::close));
        System.out.println("openfinq Sandbox Bank (NextGenPSD2 1.3.9) listening on " + bank.url());
    }
}
