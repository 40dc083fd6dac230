package org.openfinq.server.onboarding;

import java.util.Arrays;
import java.util.Map;

/** A file's first bytes must match its declared type: a renamed executable is not a PDF. */
final class FileSignatures {

    private static final Map<String, byte[]> MAGIC = Map.of(
            "application/pdf", new byte[]{'%', 'P', 'D', 'F', '-'},
            "image/jpeg", new byte[]{(byte) 0xFF, (byte) 0xD8, (byte) 0xFF},
            "image/png", new byte[]{(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});

    private FileSignatures() {
    }

    static boolean matches(String contentType, byte[] content) {
        byte[] magic = MAGIC.get(contentType);
        return magic != null && content.length >= magic.length && Arrays.equals(content, 0, magic.length, magic, 0, magic.length);
    }
}
