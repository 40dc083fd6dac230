package org.openfinq.server.onboarding;

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
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.HexFormat;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.openfinq.server.support.ApiAssertions.assertError;

/** The generic engine on a product-onboarding skill: three steps with schemas, then a file upload, then a temp_token. */
class LoanSkillTest {

    static final byte[] PDF = "%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n".getBytes(StandardCharsets.US_ASCII);
    static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n', 0, 0, 0, 13};
    static TestDatabase db;
    static TestServer server;
    static Api api;
    static Tenants.Creds tenant;

    @BeforeAll
    static void start() {
        db = TestDatabase.create();
        server = TestServer.start(db, Map.of("openfinq.onboarding.max-upload-bytes", "4096"));
        api = server.api();
        tenant = Tenants.create(api, "lender", Flows.LOAN);
    }

    @AfterAll
    static void stop() {
        server.close();
        db.close();
    }

    /** A session through product_form, applicant and documents: the documents answer, asking for the upload. */
    static Api.Response untilUpload(String user) {
        Flows.Session s = Flows.session(api, tenant, Flows.LOAN, user);
        Api.Response form = Flows.step(api, tenant, s.id(), s.nonce(), Flows.LOAN, "product_form",
                Map.of("value", "100000", "currency", "EUR", "period", "12"));
        assertThat(form.status()).as(form.body()).isEqualTo(200);
        Api.Response applicant = Flows.step(api, tenant, s.id(), form.text("nonce"), Flows.LOAN, "applicant",
                Map.of("first_name", "Ioana", "last_name", "Marin", "email", "ioana.marin@example.ro", "birth_date", "1988-02-29",
                        "phone", "+40721234567", "national_id", "2880229123456"));
        assertThat(applicant.status()).as(applicant.body()).isEqualTo(200);
        Api.Response docs = Flows.step(api, tenant, s.id(), applicant.text("nonce"), Flows.LOAN, "documents",
                Map.of("document_type", "id_card"));
        assertThat(docs.status()).as(docs.body()).isEqualTo(200);
        assertThat(docs.text("status")).isEqualTo("SESSION_IN_PROGRESS");
        return docs;
    }

    static Api.Response upload(Api.Response docs, String contentType, byte[] content) {
        return Flows.upload(api, docs.json().get("data").get("upload").get("url").asString(),
                Map.of("client_id", tenant.clientId(), "nonce", docs.text("nonce")), "scan.bin", contentType, content);
    }

    @Test
    void loanApplicationRunsToATempTokenWithAnEncryptedUpload() throws Exception {
        Api.Response docs = untilUpload("applicant-1");
        JsonNode upload = docs.json().get("data").get("upload");
        assertThat(upload.get("method").asString()).isEqualTo("POST");
        assertThat(upload.get("url").asString()).endsWith("/steps/" + docs.text("step_id") + "/upload");
        assertThat(upload.get("max_bytes").asLong()).isEqualTo(4096);

        Api.Response done = upload(docs, "application/pdf", PDF);
        assertThat(done.status()).as(done.body()).isEqualTo(200);
        assertThat(done.text("status")).isEqualTo("SESSION_COMPLETED");
        assertThat(done.text("step_id")).isEqualTo(docs.text("step_id"));
        JsonNode doc = done.json().get("data").get("document");
        assertThat(doc.get("size_bytes").asInt()).isEqualTo(PDF.length);
        assertThat(doc.get("sha256").asString()).isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(PDF)));

        Api.Response token = Flows.exchange(api, tenant, done.json().get("data").get("temp_token").asString());
        assertThat(token.status()).isEqualTo(200);
        Api.Response consent = Flows.consent(api, tenant, new Flows.Credentials(token.text("credentials_id"), token.text("access_token")), "get");
        assertThat(consent.json().get("result").get("originator").get("skill").asString()).isEqualTo(Flows.LOAN);
        assertThat(consent.json().get("result").get("status").asString()).isEqualTo("ACTIVE");

        try (Connection c = db.connect(); ResultSet rs = c.createStatement().executeQuery(
                "select content, size_bytes from session_document where id = '" + doc.get("id").asString() + "'")) {
            assertThat(rs.next()).isTrue();
            byte[] stored = rs.getBytes(1);
            assertThat(new String(stored, StandardCharsets.ISO_8859_1)).doesNotContain("%PDF");
            assertThat(server.bean(org.openfinq.server.crypto.DataCipher.class).decrypt(stored, "document:" + doc.get("id").asString()))
                    .isEqualTo(PDF);
        }
        assertError(upload(docs, "application/pdf", PDF), 401, "unauthorized", "invalid_api_keys", "already used");
    }

    @Test
    void oversizedWrongTypeAndMislabelledUploadsAreRefused() {
        Api.Response docs = untilUpload("applicant-2");
        assertError(upload(docs, "application/pdf", new byte[5000]), 400, "invalid_request", "invalid_field", "larger than 4096");
        assertError(upload(docs, "text/plain", "hello".getBytes(StandardCharsets.UTF_8)), 400, "invalid_request", "invalid_field", "must be one of");
        assertError(upload(docs, "application/pdf", PNG), 400, "invalid_request", "invalid_field", "does not contain application/pdf");
        assertError(Flows.upload(api, docs.json().get("data").get("upload").get("url").asString(),
                Map.of("client_id", tenant.clientId(), "nonce", docs.text("nonce")), null, null, null),
                400, "invalid_request", "missing_fields", "file");
        assertError(api.post(docs.json().get("data").get("upload").get("url").asString(), "{}"),
                400, "invalid_request", "invalid_headers", "multipart/form-data");
        Api.Response ok = upload(docs, "image/png", PNG);
        assertThat(ok.status()).as("the refusals changed nothing: " + ok.body()).isEqualTo(200);
    }

    @Test
    void applicantDataIsCheckedAndStoredEncrypted() throws Exception {
        Flows.Session s = Flows.session(api, tenant, Flows.LOAN, "applicant-3");
        Api.Response form = Flows.step(api, tenant, s.id(), s.nonce(), Flows.LOAN, "product_form",
                Map.of("value", 2500.5, "currency", "RON", "period", 6));
        assertThat(form.status()).isEqualTo(200);
        Map<String, Object> young = Map.of("first_name", "A", "last_name", "B", "email", "a@b.ro", "birth_date", "2015-01-01");
        assertError(Flows.step(api, tenant, s.id(), form.text("nonce"), Flows.LOAN, "applicant", young),
                400, "invalid_request", "invalid_field", "18 or older");
        assertError(Flows.step(api, tenant, s.id(), form.text("nonce"), Flows.LOAN, "applicant",
                Map.of("first_name", "A", "last_name", "B", "email", "not-an-email", "birth_date", "1990-01-01")),
                400, "invalid_request", "invalid_field", "data.email");
        assertError(Flows.step(api, tenant, s.id(), form.text("nonce"), Flows.LOAN, "applicant",
                Map.of("first_name", "A", "last_name", "B", "email", "a@b.ro", "birth_date", "1990-13-01")),
                400, "invalid_request", "invalid_field", "data.birth_date");
        assertError(Flows.step(api, tenant, s.id(), form.text("nonce"), Flows.LOAN, "applicant",
                Map.of("first_name", "A", "last_name", "B", "email", "a@b.ro", "birth_date", "1990-01-01", "phone", "0721")),
                400, "invalid_request", "invalid_field", "data.phone");
        Api.Response ok = Flows.step(api, tenant, s.id(), form.text("nonce"), Flows.LOAN, "applicant",
                Map.of("first_name", "Secretname", "last_name", "B", "email", "hidden.person@example.ro", "birth_date", "1990-01-01"));
        assertThat(ok.status()).isEqualTo(200);
        String dump = org.openfinq.server.support.DatabaseDump.of(db);
        assertThat(dump).doesNotContain("hidden.person@example.ro").doesNotContain("Secretname");
    }
}
