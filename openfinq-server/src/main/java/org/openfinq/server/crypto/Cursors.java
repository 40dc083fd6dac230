package org.openfinq.server.crypto;

import org.openfinq.server.web.ApiException;
import org.springframework.stereotype.Component;

import java.nio.ByteBuffer;
import java.util.Base64;

/**
 * Opaque paging cursors: numbers sealed with AES-256-GCM under the shared encryption keys and bound to what they
 * page (e.g. one consent), so any node reads them, after restarts, and a cursor changed, forged or used for
 * something else is refused.
 */
@Component
public class Cursors {

    private final DataCipher cipher;

    public Cursors(DataCipher cipher) {
        this.cipher = cipher;
    }

    public String seal(String context, long... values) {
        ByteBuffer b = ByteBuffer.allocate(8 * values.length);
        for (long v : values) {
            b.putLong(v);
        }
        return sealBytes(context, b.array());
    }

    /** Any payload (e.g. a position in a sort order), sealed like the numbers of {@link #seal}. */
    public String sealBytes(String context, byte[] payload) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(cipher.encrypt(payload, "cursor:" + context));
    }

    /** The payload of {@link #sealBytes}; a cursor that is not one of ours for this context is a 400 invalid_field. */
    public byte[] openBytes(String context, String cursor, String field) {
        try {
            return cipher.decrypt(Base64.getUrlDecoder().decode(cursor), "cursor:" + context);
        } catch (RuntimeException e) {
            throw notOurs(field);
        }
    }

    private static ApiException notOurs(String field) {
        return ApiException.invalidField(field, "is not a cursor given for this call; start again without one");
    }

    /** The sealed numbers; a cursor that is not one of ours for this context is a 400 invalid_field. */
    public long[] open(String context, String cursor, String field, int count) {
        byte[] plain = openBytes(context, cursor, field);
        if (plain.length != 8 * count) {
            throw notOurs(field);
        }
        ByteBuffer b = ByteBuffer.wrap(plain);
        long[] out = new long[count];
        for (int i = 0; i < count; i++) {
            out[i] = b.getLong();
        }
        return out;
    }
}
