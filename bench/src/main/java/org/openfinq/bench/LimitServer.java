package org.openfinq.bench;

import com.sun.net.httpserver.HttpServer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;

/**
 * The "limit": a plain JDK HTTP server that does only the irreducible work of a signed cached read — parse the
 * body, verify the same RS256 JWS and body digest, and write the same response bytes from memory.
 * Usage: {@code LimitServer <port> <public key file (base64 X.509)> <responses file: credentials_id TAB base64 body>}.
 */
public final class LimitServer {

    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private LimitServer() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        PublicKey key = KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(
                Base64.getDecoder().decode(Files.readString(Path.of(args[1])).strip())));
        Map<String, byte[]> responses = new HashMap<>();
        for (String line : Files.readAllLines(Path.of(args[2]))) {
            int tab = line.indexOf('\t');
            responses.put(line.substring(0, tab), Base64.getDecoder().decode(line.substring(tab + 1)));
        }
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 1024);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", ex -> {
            byte[] body;
            try (InputStream in = ex.getRequestBody()) {
                body = in.readAllBytes();
            }
            int status = 200;
            byte[] out;
            try {
                String auth = ex.getRequestHeaders().getFirst("Authorization");
                String[] jws = auth.substring(7).split("\\.");
                JsonNode header = JSON.readTree(Base64.getUrlDecoder().decode(jws[0]));
                JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(jws[1]));
                Signature rsa = Signature.getInstance("SHA256withRSA");
                rsa.initVerify(key);
                rsa.update((jws[0] + "." + jws[1]).getBytes(StandardCharsets.US_ASCII));
                String digest = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(body));
                JsonNode request = JSON.readTree(body);
                if (!"RS256".equals(header.path("alg").asString()) || !rsa.verify(Base64.getUrlDecoder().decode(jws[2]))
                        || !digest.equals(claims.path("digest").asString())
                        || claims.path("exp").asLong() < System.currentTimeMillis() / 1000) {
                    status = 401;
                    out = "{\"code\":\"invalid_signature\"}".getBytes(StandardCharsets.UTF_8);
                } else {
                    out = responses.getOrDefault(request.path("credentials_id").asString(), "[]".getBytes(StandardCharsets.UTF_8));
                }
            } catch (Exception e) {
                status = 400;
                out = "{\"code\":\"invalid_body\"}".getBytes(StandardCharsets.UTF_8);
            }
            ex.getResponseHeaders().set("Content-Type", "application/json");
            ex.sendResponseHeaders(status, out.length);
            try (OutputStream o = ex.getResponseBody()) {
                o.write(out);
            }
        });
        server.start();
        System.out.println("limit server ready on " + port);
    }
}
