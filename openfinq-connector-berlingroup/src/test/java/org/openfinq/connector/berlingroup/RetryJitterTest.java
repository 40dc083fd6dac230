package org.openfinq.connector.berlingroup;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class RetryJitterTest {

    @Test
    void retryDelaysDoubleAndAreSpreadAboveThePlainBackoff() {
        BgHttp.Retries r = new BgHttp.Retries(3, Duration.ofMillis(200));
        for (int attempt = 0; attempt < 3; attempt++) {
            long full = 200L << attempt;
            Set<Long> seen = new HashSet<>();
            for (int i = 0; i < 200; i++) {
                long d = r.delay(attempt).toMillis();
                assertThat(d).isBetween(full, full + full / 2);
                seen.add(d);
            }
            assertThat(seen).as("delays of attempt %d are spread, not one fixed value", attempt).hasSizeGreaterThan(10);
        }
    }
}
