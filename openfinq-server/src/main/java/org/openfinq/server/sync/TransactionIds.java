package org.openfinq.server.sync;

import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Ids for new transactions, time-ordered: UUID version 7 (RFC 9562), 48 bits of Unix time in milliseconds, the
 * version, then 74 random bits. A page's rows go to the end of the primary key's index instead of to random places
 * in it, and the random bits keep ids unguessable. A page's random bits are drawn from {@link SecureRandom} in one
 * call: drawing them per id (as {@link UUID#randomUUID()} does) or in PostgreSQL ({@code uuid_v7()}, V113) cost
 * several microseconds per row.
 */
final class TransactionIds {

    private static final SecureRandom RANDOM = new SecureRandom();

    private TransactionIds() {
    }

    /** Hands {@code n} new ids carrying the time {@code unixMillis} to {@code sink}, in order. */
    static void next(int n, long unixMillis, Consumer<UUID> sink) {
        byte[] bits = new byte[n * 10];
        RANDOM.nextBytes(bits);
        ByteBuffer random = ByteBuffer.wrap(bits);
        long time = (unixMillis & 0xFFFF_FFFF_FFFFL) << 16;
        for (int i = 0; i < n; i++) {
            long randA = random.getShort() & 0x0FFFL; // 12 bits
            long randB = random.getLong() & 0x3FFF_FFFF_FFFF_FFFFL; // 62 bits
            sink.accept(new UUID(time | 0x7000L | randA, 0x8000_0000_0000_0000L | randB));
        }
    }
}
