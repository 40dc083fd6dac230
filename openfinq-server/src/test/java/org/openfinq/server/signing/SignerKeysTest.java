package org.openfinq.server.signing;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openfinq.server.support.Api;
import org.openfinq.server.support.Flows;
import org.openfinq.server.support.TestDatabase;
import org.openfinq.server.support.TestServer;
import org.openfinq.server.support.Tenants;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.interfaces.RSAPublicKey;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.openfinq.server.support.ApiAssertions.assertError;

/** Signer keys from a URL, and key rotation seen by every node within the credential cache's bound. */
class SignerKeysTest {

    static TestDatabase db;
    static TestServer nodeA;
    static TestServer nodeB;
    static HttpServer jwks;
    static final List<RSAKey> published = new CopyOnWriteArrayList<>();
    static final AtomicInteger fetches = new AtomicInteger();

    @BeforeAll
    static void start() throws Exception {
        db = TestDatabase.create();
        nodeA = TestServer.start(db, Map.of("openfinq.signing.url-allowlist", "127.0.0.1"));
        nodeB = TestServer.start(db, Map.of("openfinq.signing.url-allowlist", "127.0.0.1"));
        jwks = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        jwks.createContext("/jwks.json", ex -> {
            fetches.incrementAndGet();
            byte[] body = new JWKSet(List.copyOf(published.stream().map(k -> (com.nimbusds.jose.jwk.JWK) k).toList()))
                    .toString(true).getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "application/json");
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        jwks.start();
    }

    @AfterAll
    static void stop() {
        jwks.stop(0);
        nodeA.close();
        nodeB.close();
        db.close();
    }

    static Api.Response signed(Api node, KeyPair key, String kid, String identity, Tenants.Creds t) throws Exception {
        byte[] body = SignedRequestTest.sessionBody(t);
        return node.sendBytes("POST", "/v1s/sessions", Map.of("Content-Type", "application/json",
                "Authorization", "Bearer " + Jws.sign(key, kid, identity, body, c -> c)), body);
    }

    @Test
    void keysFromAJwksUrlAreFetchedCachedAndRefreshedOnAnUnknownKid() throws Exception {
        Tenants.Creds t = Tenants.create(nodeA.api(), "jwks", Flows.AIS);
        String identity = "url-signer@proj.iam.gserviceaccount.com";
        KeyPair first = Jws.rsa(2048);
        published.add(new RSAKey.Builder((RSAPublicKey) first.getPublic()).keyID("url-1").build());
        String url = "http://127.0.0.1:" + jwks.getAddress().getPort() + "/jwks.json";
        assertThat(nodeA.api().admin("POST", "/admin/tenants/" + t.clientId() + "/signers",
                Api.object("identity", identity, "key_url", url)).status()).isEqualTo(201);
        assertThat(signed(nodeA.api(), first, "url-1", identity, t).status()).isEqualTo(200);
        assertThat(signed(nodeA.api(), first, "url-1", identity, t).status()).isEqualTo(200);
        assertThat(fetches.get()).as("cached").isEqualTo(1);

        KeyPair second = Jws.rsa(2048);
        published.add(new RSAKey.Builder((RSAPublicKey) second.getPublic()).keyID("url-2").build());
        assertThat(signed(nodeA.api(), second, "url-2", identity, t).status()).as("unknown kid refetches").isEqualTo(200);
        assertThat(fetches.get()).isEqualTo(2);
        assertError(signed(nodeA.api(), second, "url-3", identity, t), 401, "unauthorized", "unknown_kid", "url-3");
        assertThat(fetches.get()).as("at most one refetch a minute").isEqualTo(2);

        assertError(nodeA.api().admin("POST", "/admin/tenants/" + t.clientId() + "/signers",
                Api.object("identity", "x@y.z", "key_url", "http://keys.example.com/jwks.json")), 400, "invalid_request", "invalid_field", "https");
    }

    @Test
    void aKeyRemovedOnNodeAIsRefusedOnNodeBWithinTheBound() throws Exception {
        Tenants.Creds t = Tenants.create(nodeA.api(), "rotating", Flows.AIS);
        String identity = "rotating@proj.iam.gserviceaccount.com";
        KeyPair old = Jws.rsa(2048);
        KeyPair fresh = Jws.rsa(2048);
        Api admin = nodeA.api();
        assertThat(admin.admin("POST", "/admin/tenants/" + t.clientId() + "/signers", Api.object("identity", identity)).status()).isEqualTo(201);
        String keys = "/admin/tenants/" + t.clientId() + "/signers/" + identity + "/keys";
        admin.admin("POST", keys, Api.object("kid", "old", "public_key", SignedRequestTest.pem(old)));
        assertThat(signed(nodeB.api(), old, "old", identity, t).status()).isEqualTo(200);
        admin.admin("POST", keys, Api.object("kid", "new", "public_key", SignedRequestTest.pem(fresh)));
        assertThat(admin.admin("DELETE", keys + "/old", null).status()).isEqualTo(200);
        long t0 = System.nanoTime();
        while (signed(nodeB.api(), old, "old", identity, t).status() != 401) {
            assertThat((System.nanoTime() - t0) / 1_000_000).as("refused within the bound").isLessThan(CredentialCacheTest.BOUND_MS);
        }
        assertError(signed(nodeB.api(), old, "old", identity, t), 401, "unauthorized", "unknown_kid", "old");
        assertThat(signed(nodeB.api(), fresh, "new", identity, t).status()).isEqualTo(200);
    }
}
