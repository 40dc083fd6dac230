package org.openfinq.server.admin;

import org.openfinq.server.config.OpenfinqProperties;
import org.openfinq.server.config.PrivateFiles;
import org.openfinq.server.security.Bearer;
import org.openfinq.server.tenant.Secrets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The admin API's bearer token: {@code OPENFINQ_ADMIN_TOKEN}; on the embedded default without it, a token
 * generated once into {@code $OPENFINQ_DATA_DIR/admin-token} (mode 0600). With an external database and no
 * token the admin HTTP API is disabled (the CLI still works).
 */
@Component
public class AdminToken {

    private static final Logger log = LoggerFactory.getLogger(AdminToken.class);

    private final String token;

    public AdminToken(OpenfinqProperties props) {
        if (!props.adminToken().isBlank()) {
            token = props.adminToken();
        } else if (!props.db().external()) {
            token = fromFile(props.dataDir().resolve("admin-token"));
        } else {
            token = null;
            log.warn("OPENFINQ_ADMIN_TOKEN is not set: the admin HTTP API is disabled");
        }
    }

    private static String fromFile(Path file) {
        try {
            if (Files.exists(file)) {
                return Files.readString(file, StandardCharsets.UTF_8).strip();
            }
            String generated = Secrets.newSecret();
            PrivateFiles.write(file, generated + "\n");
            log.info("Admin API token written to {}", file.toAbsolutePath().normalize());
            return generated;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read or write the admin token file " + file, e);
        }
    }

    /** Names the token in the audit log without revealing it: {@code admin:} and 12 hex digits of its SHA-256. */
    public String id() {
        return token == null ? null : "admin:" + Secrets.hash(token).substring(0, 12);
    }

    public boolean enabled() {
        return token != null;
    }

    public boolean matches(String presented) {
        return Bearer.matches(token, presented);
    }
}
