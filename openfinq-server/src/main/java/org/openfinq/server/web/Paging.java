package org.openfinq.server.web;

/** The {@code count} of paged calls: 1 to 500, 100 when absent. */
public final class Paging {

    public static final int DEFAULT_COUNT = 100;
    public static final int MAX_COUNT = 500;

    private Paging() {
    }

    public static int count(JsonBody body) {
        long n = body.optLong("count").orElse((long) DEFAULT_COUNT);
        if (n < 1 || n > MAX_COUNT) {
            throw ApiException.invalidField("count", "must be between 1 and " + MAX_COUNT);
        }
        return (int) n;
    }
}
