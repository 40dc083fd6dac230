package org.openfinq.server.tenant;

import org.openfinq.server.catalog.Catalog;
import org.openfinq.server.catalog.Skill;
import org.openfinq.server.config.OpenfinqProperties;
import org.openfinq.server.config.PrivateFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * On the embedded default: the first start creates a demo tenant subscribed to every sandbox skill and
 * writes its credentials to {@code $OPENFINQ_DATA_DIR/demo-tenant.json} (mode 0600); later starts reuse
 * that file. The credentials are printed on every start, since the file holds them anyway.
 */
@Component
public class DemoTenant {

    private static final Logger log = LoggerFactory.getLogger(DemoTenant.class);
    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private final OpenfinqProperties props;
    private final TenantService tenants;
    private final Catalog catalog;
    private final Environment env;
    private final org.openfinq.server.bank.Connectors connectors;

    public DemoTenant(OpenfinqProperties props, TenantService tenants, Catalog catalog, Environment env,
                      org.openfinq.server.bank.Connectors connectors) {
        this.connectors = connectors;
        this.props = props;
        this.tenants = tenants;
        this.catalog = catalog;
        this.env = env;
    }

    /** Whether this start makes or finds a demo tenant. */
    public boolean enabled() {
        return switch (props.demoTenant()) {
            case "true" -> true;
            case "false" -> false;
            default -> !props.db().external();
        };
    }

    private volatile UUID clientId;

    /** The demo tenant, once this start has made or found it. */
    public java.util.Optional<UUID> clientId() {
        return java.util.Optional.ofNullable(clientId);
    }

    @EventListener(ApplicationReadyEvent.class)
    @org.springframework.core.annotation.Order(0)
    public void ensure() {
        if (!enabled() || env.getProperty("local.server.port") == null) {
            return;
        }
        Path file = props.dataDir().resolve("demo-tenant.json");
        try {
            Map<String, String> creds = existing(file);
            if (creds == null) {
                creds = create();
                PrivateFiles.write(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(creds) + "\n");
            }
            clientId = UUID.fromString(creds.get("client_id"));
            System.out.println();
            System.out.println("openfinq is ready. Demo tenant (also in " + file.toAbsolutePath().normalize() + "):");
            creds.forEach((k, v) -> System.out.println("  " + k + ": " + v));
            System.out.println("Demo app (connect the sandbox bank as alice / sandbox): " + baseUrl() + "/demo");
            System.out.println("API docs: " + baseUrl() + "/docs");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + file, e);
        }
    }

    /** The saved credentials, if they still authenticate against the database. */
    private Map<String, String> existing(Path file) throws IOException {
        if (!Files.exists(file)) {
            return null;
        }
        JsonNode saved = JSON.readTree(Files.readAllBytes(file));
        try {
            UUID id = UUID.fromString(saved.path("client_id").asString());
            if (tenants.secretMatches(id, saved.path("client_secret").asString())
                    && tenants.appKeyMatches(id, saved.path("client_app_key").asString())) {
                Map<String, String> creds = new LinkedHashMap<>();
                creds.put("client_id", id.toString());
                creds.put("client_secret", saved.path("client_secret").asString());
                creds.put("client_app_key", saved.path("client_app_key").asString());
                creds.put("base_url", baseUrl());
                return creds;
            }
        } catch (IllegalArgumentException e) {
            // not a usable file: make a new tenant below
        }
        log.warn("{} does not match a tenant in the database; creating a new demo tenant", file);
        return null;
    }

    private Map<String, String> create() {
        Tenant.Issued issued = tenants.createSubscribed("demo", catalog.skills().stream()
                .filter(s -> s.environment().equals("sandbox"))
                .filter(s -> catalog.servicer(s.servicerId()).flatMap(connectors::unavailable).isEmpty())
                .map(Skill::id).toList());
        Map<String, String> creds = new LinkedHashMap<>();
        creds.put("client_id", issued.tenant().clientId().toString());
        creds.put("client_secret", issued.clientSecret());
        creds.put("client_app_key", issued.clientAppKey());
        creds.put("base_url", baseUrl());
        return creds;
    }

    private String baseUrl() {
        return props.publicUrl().isBlank() ? "http://127.0.0.1:" + env.getProperty("local.server.port") : props.publicUrl();
    }
}
