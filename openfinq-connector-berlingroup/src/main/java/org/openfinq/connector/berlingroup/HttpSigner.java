package org.openfinq.connector.berlingroup;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * NextGenPSD2 request signing: {@code Digest} (SHA-256 of the body), {@code Signature} (draft-cavage HTTP
 * signatures, rsa-sha256, over digest, x-request-id and the PSU and redirect headers present) and
 * {@code TPP-Signature-Certificate} (the QSealC, Base64 DER).
 */
public final class HttpSigner {

    /** Headers that are signed when present, in this order. */
    static final List<String> SIGNED = List.of("digest", "x-request-id", "psu-id", "psu-corporate-id",
            "tpp-redirect-uri");

    private final PrivateKey key;
    private final X509Certificate certificate;

    public HttpSigner(PrivateKey key, X509Certificate certificate) {
        this.key = key;
        this.certificate = certificate;
    }

    public static String digest(byte[] body) {
        try {
            return "SHA-256=" + Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The signing headers for a request.
     *
     * @param headers the request's headers so far (names in any case)
     * @return {@code Digest}, {@code Signature} and {@code TPP-Signature-Certificate}
     */
    public Map<String, String> sign(Map<String, String> headers, byte[] body) {
        Map<String, String> lower = new LinkedHashMap<>();
        headers.forEach((k, v) -> lower.put(k.toLowerCase(Locale.ROOT), v));
        String digest = digest(body);
        lower.put("digest", digest);
        List<String> names = new ArrayList<>();
        StringBuilder signingString = new StringBuilder();
        for (String name : SIGNED) {
            if (lower.containsKey(name)) {
                if (!names.isEmpty()) {
                    signingString.append('\n');
                }
                names.add(name);
                signingString.append(name).append(": ").append(lower.get(name));
            }
        }
        try {
            Signature rsa = Signature.getInstance("SHA256withRSA");
            rsa.initSign(key);
            rsa.update(signingString.toString().getBytes(StandardCharsets.UTF_8));
            String signature = Base64.getEncoder().encodeToString(rsa.sign());
            String keyId = "SN=" + certificate.getSerialNumber().toString(16).toUpperCase(Locale.ROOT)
                    + ",CA=" + certificate.getIssuerX500Principal().getName();
            Map<String, String> out = new LinkedHashMap<>();
            out.put("Digest", digest);
            out.put("Signature", "keyId=\"" + keyId + "\",algorithm=\"rsa-sha256\",headers=\"" + String.join(" ", names)
                    + "\",signature=\"" + signature + "\"");
            out.put("TPP-Signature-Certificate", Base64.getEncoder().encodeToString(certificate.getEncoded()));
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Signing failed", e);
        }
    }
}
