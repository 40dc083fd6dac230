package org.openfinq.server.security;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openfinq.server.support.Api;
import org.openfinq.server.support.Flows;
import org.openfinq.server.support.TestDatabase;
import org.openfinq.server.support.TestServer;
import org.openfinq.server.support.Tenants;
import tools.jackson.databind.JsonNode;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every spelling of a path that is not its normal form, against every {@code /admin} and {@code /v1s} route of
 * the served OpenAPI description, without credentials and with wrong ones: each answers the error object and
 * none reaches a controller (seen by a probe on Spring MVC's handler calls, and by the data staying as it was).
 * Then the same with the admin API disabled, where even the normal spelling must not reach an admin route.
 */
class BypassMatrixTest {

    static final String SIGNER = "matrix@tenant-project.iam.gserviceaccount.com";

    static TestDatabase db;
    static TestServer server;
    static Tenants.Creds victim;
    static TestSigner signer;

    @BeforeAll
    static void start() throws Exception {
        db = TestDatabase.create();
        server = TestServer.start(db, Map.of(), ControllerProbe.class);
        victim = Tenants.create(server.api(), "victim", Flows.AIS);
        signer = TestSigner.register(server.api(), victim, SIGNER);
    }

    @AfterAll
    static void stop() {
        server.close();
        db.close();
    }

    record Route(String method, String path) {
    }

    /** Every operation under the prefix, with its path parameters filled in, from the served /openapi.json. */
    static List<Route> routes(TestServer node, String prefix) {
        JsonNode doc = node.api().send("GET", "/openapi.json", Map.of(), null).json();
        List<Route> routes = new ArrayList<>();
        for (var path : doc.path("paths").properties()) {
            if (!path.getKey().startsWith(prefix + "/")) {
                continue;
            }
            String filled = path.getKey().replace("{clientId}", victim.clientId()).replace("{identity}", SIGNER)
                    .replaceAll("\\{[^}]+}", "6b1f3c2e-0d7a-4c5e-9f1a-2b3c4d5e6f70");
            for (var op : path.getValue().properties()) {
                routes.add(new Route(op.getKey().toUpperCase(), filled));
            }
        }
        return routes;
    }

    /**
     * Spellings of {@code path} (which starts with {@code /prefix/}) that are not its normal form: path
     * parameters, percent-encoded unreserved characters, encoded and doubled separators, dot segments,
     * backslashes, NUL, double encoding, other case, trailing separators and more.
     */
    static List<String> spellings(String path) {
        int cut = path.indexOf('/', 1);
        String first = path.substring(1, cut);      // admin, v1s
        String rest = path.substring(cut + 1);      // tenants/..., sessions
        String c0 = first.substring(0, 1);
        String tail = first.substring(1);
        String hex0 = String.format("%%%02x", (int) first.charAt(0));
        String hexLast = String.format("%%%02X", (int) first.charAt(first.length() - 1));
        String head = first.substring(0, first.length() - 1);
        List<String> s = new ArrayList<>(List.of(
                "/" + first + ";/" + rest,
                "/" + first + ";x=1/" + rest,
                "/" + first + ";jsessionid=1/" + rest,
                "/" + path.substring(1) + ";",
                "/" + path.substring(1) + ";x=1",
                "/" + first + "/" + rest.replaceFirst("/|$", ";/"),
                "/" + hex0 + tail + "/" + rest,
                "/" + hex0.toUpperCase() + tail + "/" + rest,
                "/" + head + hexLast + "/" + rest,
                "/" + first + "/" + encodeFirstLetter(rest),
                "/%25" + hex0.substring(1) + tail + "/" + rest,
                "/" + first + "%2F" + rest,
                "/" + first + "%2f" + rest,
                "/%2F" + first + "/" + rest,
                "//" + first + "/" + rest,
                "/" + first + "//" + rest,
                "/./" + first + "/" + rest,
                "/" + first + "/./" + rest,
                "/x/../" + first + "/" + rest,
                "/" + first + "/x/../" + rest,
                "/" + first + "/%2e/" + rest,
                "/" + first + "/%2E%2E/" + first + "/" + rest,
                "/" + first + "%2e/" + rest,
                "/" + first + "\\" + rest,
                "/" + first + "%5C" + rest,
                "/" + first + "%5c" + rest,
                "/" + path.substring(1) + "/",
                "/" + path.substring(1) + "//",
                "/" + first.toUpperCase() + "/" + rest,
                "/" + c0.toUpperCase() + tail + "/" + rest,
                "/" + first + "%00/" + rest,
                "/" + first + "/" + rest + "%00",
                "/" + first + "%20/" + rest,
                "/" + first + "%09/" + rest,
                "/" + first + "%3B/" + rest,
                "/" + first + "/" + rest + "/.",
                "/" + first + "/" + rest + "/..",
                "/" + first + "%u002f" + rest,
                "/%EF%BD%81" + first.substring(1) + "/" + rest,
                "/v1/../" + first + "/" + rest,
                "/v1/..%2F" + first + "/" + rest,
                "/" + first + "/" + rest.toUpperCase()));
        return s;
    }

    private static String encodeFirstLetter(String rest) {
        return String.format("%%%02x", (int) rest.charAt(0)) + rest.substring(1);
    }

    record Tally(int sent, int errorObjects, Map<Integer, Integer> statuses) {
    }

    /** Sends every spelling of every route with each header set; asserts each answer is the error object. */
    static Tally run(TestServer node, List<Route> routes, List<List<String>> headerSets) {
        RawHttp http = new RawHttp(node);
        byte[] body = ("{\"client_id\":\"" + victim.clientId() + "\",\"name\":\"pwned\",\"identity\":\"x@y.z\"}")
                .getBytes(StandardCharsets.UTF_8);
        int sent = 0;
        int errors = 0;
        Map<Integer, Integer> statuses = new java.util.TreeMap<>();
        List<String> bad = new ArrayList<>();
        for (Route route : routes) {
            for (String spelling : spellings(route.path())) {
                for (List<String> headers : headerSets) {
                    List<String> h = new ArrayList<>(headers);
                    boolean withBody = !route.method().equals("GET") && !route.method().equals("DELETE");
                    if (withBody) {
                        h.add("Content-Type: application/json");
                    }
                    RawHttp.Response r = http.send(route.method(), spelling, withBody ? body : null, h.toArray(String[]::new));
                    sent++;
                    statuses.merge(r.status(), 1, Integer::sum);
                    if (r.error() != null && r.status() >= 400 && r.status() < 500) {
                        errors++;
                    } else {
                        bad.add(route.method() + " " + spelling + " -> " + r.status() + " " + r.text());
                    }
                }
            }
        }
        assertThat(bad).as("answers that are not a 4xx error object").isEmpty();
        return new Tally(sent, errors, statuses);
    }

    @Test
    void noSpellingReachesAnAdminOrSignedController() throws Exception {
        List<Route> admin = routes(server, "/admin");
        List<Route> signed = routes(server, "/v1s");
        assertThat(admin).hasSizeGreaterThanOrEqualTo(14);
        assertThat(signed).hasSizeGreaterThanOrEqualTo(10);
        JsonNode before = server.api().admin("GET", "/admin/tenants/" + victim.clientId(), null).json();
        JsonNode signersBefore = server.api().admin("GET", "/admin/tenants/" + victim.clientId() + "/signers", null).json();

        // the probe sees controllers: the normal spelling with credentials is counted
        ControllerProbe.REACHED.clear();
        assertThat(server.api().admin("GET", "/admin/tenants", null).status()).isEqualTo(200);
        assertThat(ControllerProbe.reached("/admin/")).isEqualTo(1);
        byte[] session = ("{\"tenant_user_id\":\"u1\",\"client_id\":\"" + victim.clientId() + "\",\"client_app_key\":\""
                + victim.clientAppKey() + "\",\"skill\":\"" + Flows.AIS + "\"}").getBytes(StandardCharsets.UTF_8);
        Api.Response ok = server.api().sendBytes("POST", "/v1s/sessions", Map.of("Content-Type", "application/json",
                "Authorization", "Bearer " + signer.sign(session)), session);
        assertThat(ok.status()).as(ok.body()).isEqualTo(200);
        assertThat(ControllerProbe.reached("/v1s/")).isEqualTo(1);

        ControllerProbe.REACHED.clear();
        Tally a = run(server, admin, List.of(List.of(), List.of("Authorization: Bearer wrong-token")));
        Tally s = run(server, signed, List.of(List.of(), List.of("Authorization: Bearer " + signer.sign(session, c -> c.issuer("nobody@x.y")))));
        System.out.printf("bypass matrix (admin API on): admin routes=%d, /v1s routes=%d, spellings per route=%d, "
                        + "requests=%d, error objects=%d, reached an admin controller=%d, reached a /v1s controller=%d, statuses=%s%n",
                admin.size(), signed.size(), spellings(admin.getFirst().path()).size(), a.sent() + s.sent(),
                a.errorObjects() + s.errorObjects(), ControllerProbe.reached("/admin/"), ControllerProbe.reached("/v1s/"),
                merge(a.statuses(), s.statuses()));
        assertThat(ControllerProbe.REACHED).as("controllers reached by a non-normal spelling").isEmpty();
        assertThat(a.errorObjects() + s.errorObjects()).isEqualTo(a.sent() + s.sent());

        // nothing changed: same tenant (no rotation, not deleted), same signers, credentials still valid
        assertThat(server.api().admin("GET", "/admin/tenants/" + victim.clientId(), null).json()).isEqualTo(before);
        assertThat(server.api().admin("GET", "/admin/tenants/" + victim.clientId() + "/signers", null).json()).isEqualTo(signersBefore);
        Api.Response skills = server.api().post("/v1/catalogs/skills/get",
                Api.object("client_id", victim.clientId(), "client_secret", victim.clientSecret()));
        assertThat(skills.status()).as(skills.body()).isEqualTo(200);
    }

    @Test
    void withTheAdminApiDisabledNoSpellingReachesIt() {
        TestServer off = TestServer.start(db, Map.of("openfinq.admin-token", ""), ControllerProbe.class);
        try {
            List<Route> admin = routes(off, "/admin");
            ControllerProbe.REACHED.clear();
            Tally t = run(off, admin, List.of(List.of(), List.of("Authorization: Bearer " + TestServer.ADMIN_TOKEN)));
            RawHttp http = new RawHttp(off);
            int normal = 0;
            for (Route r : admin) {
                RawHttp.Response res = http.send(r.method(), r.path(), null, "Authorization: Bearer " + TestServer.ADMIN_TOKEN);
                assertThat(res.status()).isEqualTo(401);
                assertThat(res.error().path("code").asString()).isEqualTo("invalid_api_keys");
                normal++;
            }
            System.out.printf("bypass matrix (admin API off): admin routes=%d, requests=%d, error objects=%d, "
                            + "reached an admin controller=%d, statuses=%s%n", admin.size(), t.sent() + normal,
                    t.errorObjects() + normal, ControllerProbe.reached("/admin/"), t.statuses());
            assertThat(ControllerProbe.reached("/admin/")).isZero();
        } finally {
            off.close();
        }
    }

    private static Map<Integer, Integer> merge(Map<Integer, Integer> a, Map<Integer, Integer> b) {
        Map<Integer, Integer> m = new java.util.TreeMap<>(a);
        b.forEach((k, v) -> m.merge(k, v, Integer::sum));
        return m;
    }

}
