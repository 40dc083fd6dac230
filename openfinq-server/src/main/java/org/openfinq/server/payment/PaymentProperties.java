package org.openfinq.server.payment;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * Payment status polling ({@code OPENFINQ_PAYMENTS_*}).
 *
 * @param authorisationWindow a payment the end-user has not authorised (still {@code initiated}) this long after its
 *                            creation is given up as {@code rejected}
 * @param pollFor             a payment that is authorised but still not final this long after its creation (or its
 *                            requested execution date, if later) is no longer polled
 */
@ConfigurationProperties(prefix = "openfinq.payments")
public record PaymentProperties(@DefaultValue("PT1H") Duration authorisationWindow, @DefaultValue("P10D") Duration pollFor) {
}
