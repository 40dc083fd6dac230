package org.openfinq.server.crypto;

import org.openfinq.server.config.ConfigurationProblem;
import org.openfinq.server.config.OpenfinqProperties;
import org.openfinq.server.config.PrivateFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * AES-256-GCM for what banks and users give us. Keys are versioned: the first key of
 * {@code OPENFINQ_ENCRYPTION_KEYS} ({@code id:base64key,...}) encrypts, every listed key decrypts, so a new key
 * can be put first while old records stay readable. On the embedded default without that variable, a key is
 * generated once into {@code $OPENFINQ_DATA_DIR/encryption-keys} (mode 0600).
 * <p>
 * Format: {@code [id length][key id][12-byte IV][ciphertext + 16-byte tag]}. The caller's context string
 * (e.g. {@code consent:<id>}) is bound as associated data, so a value cannot be moved to another record.
 */
@Component
public class DataCipher {

    private static final Logger log = LoggerFactory.getLogger(DataCipher.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Map<String, SecretKeySpec> keys = new LinkedHashMap<>();
    private final String currentId;

    public DataCipher(OpenfinqProperties props) {
        this(props, true);
    }

    /**
     * @param required whether missing keys stop the start (the server) or only fail on use (the admin CLI,
     *                 which never encrypts)
     */
    @org.springframework.beans.factory.annotation.Autowired
    public DataCipher(OpenfinqProperties props,
                      @org.springframework.beans.factory.annotation.Value("${openfinq.require-encryption-keys:true}") boolean required) {
        String spec = props.encryptionKeys();
        if (spec.isBlank()) {
            if (props.db().external()) {
                if (required) {
                    throw new ConfigurationProblem(MISSING, MISSING_FIX);
                }
                currentId = null;
                return;
            }
            spec = fromFile(props.dataDir().resolve("encryption-keys"));
        }
        for (String entry : spec.split(",")) {
            String e = entry.strip();
            int colon = e.indexOf(':');
            if (colon <= 0) {
                throw new ConfigurationProblem("OPENFINQ_ENCRYPTION_KEYS is malformed: each key is 'id:base64key', separated by commas",
                        KEY_FIX);
            }
            byte[] key;
            try {
                key = Base64.getDecoder().decode(e.substring(colon + 1));
            } catch (IllegalArgumentException notBase64) {
                throw new ConfigurationProblem("Encryption key '" + e.substring(0, colon) + "' is not valid Base64", KEY_FIX);
            }
            if (key.length != 32) {
                throw new ConfigurationProblem("Encryption key '" + e.substring(0, colon) + "' is " + key.length * 8
                        + " bits; AES-256 needs 256 bits (32 bytes)", KEY_FIX);
            }
            keys.put(e.substring(0, colon), new SecretKeySpec(key, "AES"));
        }
        currentId = keys.keySet().iterator().next();
    }

    private static final String MISSING = "OPENFINQ_ENCRYPTION_KEYS is not set; with an external database every node must "
            + "encrypt with the same keys";
    private static final String MISSING_FIX = "Set OPENFINQ_ENCRYPTION_KEYS=k1:$(openssl rand -base64 32) on every node "
            + "(keep it safe: without it the stored bank tokens cannot be read).";
    private static final String KEY_FIX = "Give OPENFINQ_ENCRYPTION_KEYS as 'id:base64key,...' with 32-byte keys, the current "
            + "one first (a new key: openssl rand -base64 32).";

    private void requireKeys() {
        if (currentId == null) {
            throw new ConfigurationProblem(MISSING, MISSING_FIX);
        }
    }

    private static String fromFile(Path file) {
        try {
            if (Files.exists(file)) {
                return Files.readString(file).strip();
            }
            byte[] key = new byte[32];
            RANDOM.nextBytes(key);
            String spec = "k1:" + Base64.getEncoder().encodeToString(key);
            PrivateFiles.write(file, spec + "\n");
            log.info("Encryption key generated in {}", file.toAbsolutePath().normalize());
            return spec;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read or write " + file, e);
        }
    }

    public byte[] encrypt(String plaintext, String context) {
        return encrypt(plaintext.getBytes(StandardCharsets.UTF_8), context);
    }

    public byte[] encrypt(byte[] plaintext, String context) {
        requireKeys();
        try {
            byte[] iv = new byte[12];
            RANDOM.nextBytes(iv);
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, keys.get(currentId), new GCMParameterSpec(128, iv));
            c.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = c.doFinal(plaintext);
            byte[] id = currentId.getBytes(StandardCharsets.UTF_8);
            return ByteBuffer.allocate(1 + id.length + iv.length + sealed.length)
                    .put((byte) id.length).put(id).put(iv).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Encryption failed", e);
        }
    }

    public String decryptString(byte[] value, String context) {
        return new String(decrypt(value, context), StandardCharsets.UTF_8);
    }

    public byte[] decrypt(byte[] value, String context) {
        requireKeys();
        ByteBuffer in = ByteBuffer.wrap(value);
        byte[] id = new byte[in.get()];
        in.get(id);
        String keyId = new String(id, StandardCharsets.UTF_8);
        SecretKeySpec key = keys.get(keyId);
        if (key == null) {
            throw new IllegalStateException("No encryption key '" + keyId + "' is configured; it is needed to read old records");
        }
        byte[] iv = new byte[12];
        in.get(iv);
        byte[] sealed = new byte[in.remaining()];
        in.get(sealed);
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, iv));
            c.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            return c.doFinal(sealed);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Decryption failed (wrong key or context)", e);
        }
    }

    /** The id of the key new values are encrypted with. */
    public String currentKeyId() {
        return currentId;
    }
}
