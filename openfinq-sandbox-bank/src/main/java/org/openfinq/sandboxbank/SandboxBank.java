package org.openfinq.sandboxbank;

import com.sun.net.httpserver.HttpServer;
import org.openfinq.sandboxbank.account.AccountResource;
import org.openfinq.sandboxbank.consent.ConsentResource;
import org.openfinq.sandboxbank.data.SandboxData;
import org.openfinq.sandboxbank.http.Router;
import org.openfinq.sandboxbank.payment.PaymentResource;
import org.openfinq.sandboxbank.sca.Authorisations;
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
 * {@code java -jar openfinq-sandbox-bank.jar [--host A] [--port N] [--public-url U] [--seed N] [--large-psu N]} ({@code --help}).
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
            // the TPP on this machine calls the API root; browsers and other devices follow the SCA links to the public URL
            String local = config.host().equals("0.0.0.0") || config.host().equals("::") ? "127.0.0.1" : config.host();
            String url = "http://" + (local.contains(":") ? "[" + local + "]" : local) + ":" + server.getAddress().getPort();
            String publicUrl = config.publicUrl() == null ? url : config.publicUrl();
            SandboxData data = new SandboxData(config.seed(), config.anchor(), config.largePsuTransactions(),
                    LocalDate.now(config.clock()));
            SandboxState state = new SandboxState(config, data);
            Router router = new Router();
            Authorisations authorisations = new Authorisations(state, publicUrl, url);
            ConsentResource consents = new ConsentResource(state, authorisations);
            AccountResource accounts = new AccountResource(state);
            PaymentResource payments = new PaymentResource(state, accounts, authorisations);
            consents.register(router);
            accounts.register(router);
            payments.register(router);
            authorisations.register(router);
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

    static final String USAGE = """
            usage: java -jar openfinq-sandbox-bank-standalone.jar [options]
              --host ADDRESS      address to listen on (127.0.0.1; 0.0.0.0 for every interface)
              --port N            port to listen on (8090; 0 picks a free one)
              --public-url URL    root that browsers and phones reach the bank at, used in SCA links
                                  (e.g. http://192.168.1.20:8090; default http://<host>:<port>)
              --seed N            data seed: the same seed gives the same customers and transactions (42)
              --large-psu N       size of PSU bigcorp's history; 0 leaves it out (100000)
              --page-size N       booked transactions per page (100)
              --version           print the version and exit
              --help              print this and exit
            """;

    /** The settings {@code args} ask for; throws {@link IllegalArgumentException} with the problem or the usage. */
    static SandboxConfig parse(String[] args) {
        SandboxConfig config = SandboxConfig.defaults().withPort(8090);
        for (int i = 0; i < args.length; i += 2) {
            String option = args[i];
            if (option.equals("--help") || option.equals("-h")) {
                throw new IllegalArgumentException(USAGE);
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(option + " needs a value\n" + USAGE);
            }
            String v = args[i + 1];
            try {
                config = switch (option) {
                    case "--host" -> config.withHost(v);
                    case "--port" -> config.withPort(Integer.parseInt(v));
                    case "--public-url" -> config.withPublicUrl(java.net.URI.create(v).toString());
                    case "--seed" -> config.withSeed(Long.parseLong(v));
                    case "--large-psu" -> config.withLargePsuTransactions(Integer.parseInt(v));
                    case "--page-size" -> config.withPageSize(Integer.parseInt(v));
                    default -> throw new IllegalArgumentException("unknown option " + option + "\n" + USAGE);
                };
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(option + " needs a number, not '" + v + "'\n" + USAGE);
            }
        }
        return config;
    }

    public static void main(String[] args) {
        if (java.util.Arrays.asList(args).contains("--version")) {
            String v = SandboxBank.class.getPackage().getImplementationVersion();
            System.out.println("openfinq-sandbox-bank " + (v == null ? "development" : v));
            return;
        }
        SandboxConfig config;
        try {
            config = parse(args);
        } catch (IllegalArgumentException e) {
            boolean help = e.getMessage().equals(USAGE);
            (help ? System.out : System.err).print(e.getMessage());
            System.exit(help ? 0 : 2);
            return;
        }
        SandboxBank bank = start(config);
        Runtime.getRuntime().addShutdownHook(new Thread(bank::close));
        System.out.println("openfinq Sandbox Bank (NextGenPSD2 1.3.9) listening on " + bank.url()
                + (config.publicUrl() == null ? "" : ", reachable at " + config.publicUrl()));
    }
}
