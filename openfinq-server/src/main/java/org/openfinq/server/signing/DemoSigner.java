package org.openfinq.server.signing;

import org.openfinq.server.config.OpenfinqProperties;
import org.openfinq.server.config.PrivateFiles;
import org.openfinq.server.tenant.DemoTenant;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * With the demo tenant, a demo signer: an RSA key pair whose public half is registered for the demo tenant
 * and whose private half is written as a Google-style service-account key file,
 * {@code $OPENFINQ_DATA_DIR/demo-signer.json} (mode 0600), usable by the SDK or the docs' Python example.
 */
@Component
public class DemoSigner {

    static final String IDENTITY = "demo-signer@openfinq-demo.iam.gserviceaccount.com";

    private final DemoTenant demo;
    private final SignerService signers;
    private final SignerStore store;
    private final OpenfinqProperties props;

    /** A first start's key pair, generated while the application context is built (not on the way to readiness). */
    private final CompletableFuture<KeyPair> fresh;

    public DemoSigner(DemoTenant demo, SignerService signers, SignerStore store, OpenfinqProperties props) {
        this.store = store;
        this.demo = demo;
        this.signers = signers;
        this.props = props;
        this.fresh = demo.enabled() && !Files.exists(props.dataDir().resolve("demo-signer.json"))
                ? CompletableFuture.supplyAsync(DemoSigner::generate, Thread.ofPlatform().name("demo-signer-key").daemon()::start)
                : null;
    }

    private static KeyPair generate() {
        try {
            KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
            gen.initialize(2048);
            return gen.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @EventListener(ApplicationReadyEvent.class)
    @Order(10)
    public void ensure() {
        UUID tenant = demo.clientId().orElse(null);
        if (tenant == null) {
            return;
        }
        Path file = props.dataDir().resolve("demo-signer.json");
        try {
            if (Files.exists(file)) {
                JsonNode saved = JsonMapper.builder().build().readTree(Files.readAllBytes(file));
                String kid = saved.path("private_key_id").asString();
                boolean registered = store.signer(tenant, IDENTITY).flatMap(s -> store.key(s.id(), kid)).isPresent();
                if (registered) {
                    System.out.println("  demo signer: " + IDENTITY + " (key file " + file.toAbsolutePath().normalize() + ")");
                    return;
                }
            }
            KeyPair pair = fresh != null ? fresh.join() : generate();
            String kid = PublicKeys.thumbprint((RSAPublicKey) pair.getPublic());
            signers.addSigner(tenant, IDENTITY, null);
            signers.addKey(tenant, IDENTITY, kid, PublicKeys.pem((RSAPublicKey) pair.getPublic()));
            Map<String, String> json = new LinkedHashMap<>();
            json.put("type", "service_account");
            json.put("project_id", "openfinq-demo");
            json.put("private_key_id", kid);
            json.put("private_key", "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                    .encodeToString(pair.getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----\n");
            json.put("client_email", IDENTITY);
            PrivateFiles.write(file, JsonMapper.builder().build().writerWithDefaultPrettyPrinter().writeValueAsString(json) + "\n");
            System.out.println("  demo signer: " + IDENTITY + " (key file " + file.toAbsolutePath().normalize() + ")");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + file, e);
        }
    }
}
