package org.openfinq.server.support;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Creates tenants through the admin HTTP API. */
public final class Tenants {

    private Tenants() {
    }

    public record Creds(String clientId, String clientSecret, String clientAppKey) {
    }

    public static Creds create(Api api, String name, String... skills) {
        Api.Response r = api.admin("POST", "/admin/tenants", Api.object("name", name, "skills", List.of(skills)));
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return new Creds(r.text("client_id"), r.text("client_secret"), r.text("client_app_key"));
    }
}
