package org.openfinq.connector.berlingroup.spec;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A recording HTTP proxy on 127.0.0.1 between the connector and a bank: every request is forwarded unchanged, and the
 * request as the bank receives it and the bank's answer are both checked against {@link NextGenPsd2Spec}. Paths the
 * spec does not cover (listed at construction, e.g. a simulator's own SCA pages) are forwarded unchecked and counted.
 */
public final class SpecCheckingProxy implements AutoCloseable {

    private static final Set<String> HOP_BY_HOP = Set.of("connection", "content-length", "host", "expect", "upgrade",
            "transfer-encoding", "keep-alive", "te", "trailer", "proxy-connection");

    private final NextGenPsd2Spec spec;
    private final URI target;
    private final List<String> uncheckedPrefixes;
    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();
    private final List<NextGenPsd2Spec.Violation> violations = Collections.synchronizedList(new ArrayList<>());
    private final List<String> calls = Collections.synchronizedList(new ArrayList<>());
    private int requestsChecked;
    private int responsesChecked;
    private int unchecked;

    public SpecCheckingProxy(NextGenPsd2Spec spec, URI target, List<String> uncheckedPrefixes) {
        this.spec = spec;
        this.target = target;
        this.uncheckedPrefixes = List.copyOf(uncheckedPrefixes);
        try {
            this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.setExecutor(executor);
        server.createContext("/", this::forward);
        server.start();
    }

    /** The proxy's base URL, to be used as the bank's. */
    public URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    public synchronized int requestsChecked() {
        return requestsChecked;
    }

    public synchronized int responsesChecked() {
        return responsesChecked;
    }

    public synchronized int unchecked() {
        return unchecked;
    }

    /** Every violation found so far, in the order of the exchanges. */
    public List<NextGenPsd2Spec.Violation> violations() {
        synchronized (violations) {
            return List.copyOf(violations);
        }
    }

    /** Method and path template-free call names seen, e.g. {@code POST /v1/consents -> 201}. */
    public List<String> calls() {
        synchronized (calls) {
            return List.copyOf(calls);
        }
    }

    private void forward(HttpExchange ex) throws IOException {
        try (ex) {
            String method = ex.getRequestMethod();
            URI uri = ex.getRequestURI();
            String rawPath = uri.getRawPath();
            byte[] body;
            try (InputStream in = ex.getRequestBody()) {
                body = in.readAllBytes();
            }
            Map<String, List<String>> requestHeaders = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            requestHeaders.putAll(ex.getRequestHeaders());
            boolean check = uncheckedPrefixes.stream().noneMatch(rawPath::startsWith);
            if (check) {
                violations.addAll(spec.validateRequest(method, rawPath, uri.getRawQuery(), requestHeaders, body));
            }
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(target.toString().replaceAll("/+$", "")
                    + uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery())))
                    .timeout(Duration.ofSeconds(30))
                    .method(method, body.length == 0 ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
            requestHeaders.forEach((name, values) -> {
                if (!HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT))) {
                    values.forEach(v -> b.header(name, v));
                }
            });
            HttpResponse<byte[]> response;
            try {
                response = client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                ex.sendResponseHeaders(502, -1);
                return;
            }
            Map<String, List<String>> responseHeaders = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            response.headers().map().forEach((name, values) -> {
                if (!name.startsWith(":") && !HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT))) {
                    responseHeaders.put(name, values);
                }
            });
            byte[] answer = response.body() == null ? new byte[0] : response.body();
            synchronized (this) {
                if (check) {
                    requestsChecked++;
                    responsesChecked++;
                } else {
                    unchecked++;
                }
            }
            if (check) {
                violations.addAll(spec.validateResponse(method, rawPath, response.statusCode(), responseHeaders, answer));
                calls.add(method + " " + rawPath + " -> " + response.statusCode());
            }
            responseHeaders.forEach((name, values) -> ex.getResponseHeaders().put(name, values));
            ex.sendResponseHeaders(response.statusCode(), answer.length == 0 ? -1 : answer.length);
            if (answer.length > 0) {
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(answer);
                }
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.close();
        client.close();
    }
}
