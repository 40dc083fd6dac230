package org.openfinq.server.consent;

import org.openfinq.server.config.OpenfinqProperties;
import org.openfinq.server.jobs.RecurringJob;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;

/**
 * The consent feature's jobs: consent expiry, cached-data deletion and bank revocation retries
 * ({@link RetentionJob}), expiry notices ({@link ExpiryNoticeJob}), and deleting expired temp_tokens and long-ended
 * consents.
 */
@Configuration(proxyBeanMethods = false)
public class ConsentJobs {

    private static final Logger log = LoggerFactory.getLogger(ConsentJobs.class);

    @Bean
    RecurringJob consentExpiryNotice(ExpiryNoticeJob job,
                                     @Value("${openfinq.consents.expiry-notice-interval:PT1H}") java.time.Duration interval) {
        return RecurringJob.of("consent-expiry-notice", interval, job::scheduled);
    }

    @Bean
    RecurringJob consentExpiry(RetentionJob job, OpenfinqProperties props) {
        return RecurringJob.of("consent-expiry", props.retention().interval(), job::scheduled);
    }

    /**
     * temp_tokens go once expired. A deleted or expired consent goes {@code openfinq.retention.ended-consents} after
     * it ended and after its cached data was deleted, once the bank consent is revoked (deleted ones); until then
     * its credentials answer {@code inactive_credentials} / {@code expired_credentials}, afterwards they are unknown.
     */
    @Bean
    RecurringJob consentRetention(JdbcClient jdbc, OpenfinqProperties props, Clock clock) {
        return RecurringJob.of("consent-retention", props.retention().interval(), () -> {
            Instant now = clock.instant();
            int tokens = jdbc.sql("delete from temp_token where expires_at <= ?").param(Timestamp.from(now)).update();
            Timestamp ended = Timestamp.from(now.minus(props.retention().endedConsents()));
            int consents = jdbc.sql("""
                            delete from consent
                            where status in ('DELETED', 'EXPIRED') and max_data_retention <= ?
                              and coalesce(deleted_at, consent_exp) <= ?
                              and not (status = 'DELETED' and bank_consent is not null and bank_revoked_at is null)""")
                    .params(ended, ended).update();
            if (tokens + consents > 0) {
                log.info("Consent retention: deleted {} expired temp_tokens and {} ended consents", tokens, consents);
            }
        });
    }
}
