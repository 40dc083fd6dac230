package org.openfinq.server.data;

import jakarta.servlet.http.HttpServletResponse;
import org.openfinq.server.sync.SyncStatus;
import org.springframework.stereotype.Component;

import java.util.UUID;

import static org.openfinq.server.consent.ConsentService.utc;

/**
 * The response headers every data read carries: {@code Openfinq-Sync-State} (the consent's sync state) and
 * {@code Openfinq-Data-As-Of} (when the last successful sync ended; absent before the first), so a client tells
 * fresh from stale data on every read.
 */
@Component
public class SyncHeaders {

    public static final String STATE = "Openfinq-Sync-State";
    public static final String AS_OF = "Openfinq-Data-As-Of";
    static final String STATE_DOC = STATE + ": the consent's sync state: pending, syncing, ready, rate_limited or failed";
    static final String AS_OF_DOC = AS_OF + ": when the last successful sync ended, UTC (absent before the first)";

    private final SyncStatus status;

    public SyncHeaders(SyncStatus status) {
        this.status = status;
    }

    public void apply(HttpServletResponse response, UUID consentId) {
        status.of(consentId).ifPresentOrElse(s -> {
            response.setHeader(STATE, s.state());
            if (s.lastSuccessAt() != null) {
                response.setHeader(AS_OF, utc(s.lastSuccessAt()));
            }
        }, () -> response.setHeader(STATE, "pending"));
    }
}
