package org.openfinq.client;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Webhook verification against the Standard Webhooks specification's published example. */
class WebhooksTest {

    static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    static final String ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    static final String BODY = "{\"test\": 2432232314}";
    static final Instant AT = Instant.ofEpochSecond(1614265330);
    static final String SIG = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

    static Map<String, String> headers(String signature, String ts) {
        return Map.of("Webhook-Id", ID, "webhook-timestamp", ts, "webhook-signature", signature);
    }

    @Test
    void acceptsTheSpecificationsExample() {
        assertThat(Webhooks.verify(SECRET, headers(SIG, "1614265330"), BODY, AT)).isTrue();
        assertThat(Webhooks.verify(SECRET, headers(SIG, "1614265330"), BODY, AT.plusSeconds(299))).isTrue();
    }

    @Test
    void acceptsAnyOfSeveralSignatures() {
        assertThat(Webhooks.verify(SECRET, headers("v1,AAAA v2,xyz " + SIG, "1614265330"), BODY, AT)).isTrue();
        assertThat(Webhooks.verify(SECRET, headers("v1,AAAA v1a,abc", "1614265330"), BODY, AT)).isFalse();
    }

    @Test
    void refusesChangesAndOldOrFutureTimestamps() {
        assertThat(Webhooks.verify(SECRET, headers(SIG, "1614265330"), BODY + " ", AT)).isFalse();
        assertThat(Webhooks.verify(SECRET, headers(SIG, "1614265331"), BODY, AT)).isFalse();
        assertThat(Webhooks.verify("whsec_" + "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", headers(SIG, "1614265330"), BODY, AT)).isFalse();
        assertThat(Webhooks.verify(SECRET, headers(SIG, "1614265330"), BODY, AT.plusSeconds(301))).isFalse();
        assertThat(Webhooks.verify(SECRET, headers(SIG, "1614265330"), BODY, AT.minusSeconds(301))).isFalse();
        assertThat(Webhooks.verify(SECRET, headers(SIG, "1614265330"), BODY, AT.plusSeconds(600), Duration.ofMinutes(15))).isTrue();
        assertThat(Webhooks.verify(SECRET, headers(SIG, "soon"), BODY, AT)).isFalse();
        assertThat(Webhooks.verify(SECRET, Map.of("webhook-timestamp", "1614265330", "webhook-signature", SIG), BODY, AT)).isFalse();
    }
}
