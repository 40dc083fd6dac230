package org.openfinq.server.config;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.nio.file.Path;
import java.util.List;

/**
 * Operator settings. Each one is also an environment variable: {@code openfinq.db.url} is
 * {@code OPENFINQ_DB_URL}, {@code openfinq.data-dir} is {@code OPENFINQ_DATA_DIR}, and so on.
 *
 * @param dataDir       where the embedded database, key files and demo credentials live
 * @param db            the external PostgreSQL; when {@code url} is empty an embedded one is started
 * @param adminToken    bearer token of the admin HTTP API; when empty the embedded default generates
 *                      {@code $dataDir/admin-token}, otherwise the admin HTTP API is disabled
 * @param maxBodyBytes  request bodies above this size are refused
 * @param demoTenant    create and print a demo tenant on first start ({@code auto}: only on the embedded default)
 * @param catalogFiles  extra catalog files merged over the built-in catalog (same id replaces)
 * @param publicUrl     the base URL clients and banks use to reach this server (default http://127.0.0.1:port)
 * @param sandboxBank   the built-in sandbox bank
 * @param bankProfileFiles extra bank profile files merged over the built-in ones (same id replaces)
 * @param encryptionKeys AES-256 keys as {@code id:base64,...}, the first one current (see {@code DataCipher})
 * @param onboarding     session, nonce, temp token and upload limits
 * @param limits         failed-authentication and per-tenant request limits
 * @param trustedProxies addresses or CIDR ranges of reverse proxies whose {@code X-Forwarded-For} is believed
 * @param audit          audit log retention
 * @param sync           sync workers and refresh claiming
 * @param retention      how long each kind of record is kept (see docs/decisions.md, retention)
 * @param jobs           the job scheduler
 */
@ConfigurationProperties(prefix = "openfinq")
public record OpenfinqProperties(
        @DefaultValue("./data") Path dataDir,
        @DefaultValue Db db,
        @DefaultValue("") String adminToken,
        @DefaultValue("1048576") long maxBodyBytes,
        @DefaultValue("auto") String demoTenant,
        @DefaultValue List<String> catalogFiles,
        @DefaultValue("") String publicUrl,
        @DefaultValue Sandbox sandboxBank,
        @DefaultValue List<String> bankProfileFiles,
        @DefaultValue("") String encryptionKeys,
        @DefaultValue Onboarding onboarding,
        @DefaultValue Sync sync,
        @DefaultValue Retention retention,
        @DefaultValue Signing signing,
        @DefaultValue Limits limits,
        @DefaultValue List<String> trustedProxies,
        @DefaultValue Audit audit,
        @DefaultValue Jobs jobs) {

    /**
     * Abuse limits, shared by all nodes through the database.
     *
     * @param authFailures      failed authentications allowed per client_id and per source address in {@code authWindow}
     * @param authWindow        the window failures are counted in
     * @param lockout           how long a client_id or address is refused (429) once over the limit
     * @param tenantRate        requests per minute of a tenant without its own setting
     * @param purgeInterval     how often expired failure counters and idle buckets are deleted
     */
    public record Limits(@DefaultValue("20") int authFailures,
                         @DefaultValue("PT1M") java.time.Duration authWindow,
                         @DefaultValue("PT1M") java.time.Duration lockout,
                         @DefaultValue("6000") int tenantRate,
                         @DefaultValue("PT10M") java.time.Duration purgeInterval) {
    }

    /**
     * @param retention     how long audit events are kept
     * @param purgeInterval how often older ones are deleted
     */
    public record Audit(@DefaultValue("P400D") java.time.Duration retention,
                        @DefaultValue("PT6H") java.time.Duration purgeInterval) {
    }

    /**
     * @param enabled           whether this process runs background jobs at all (the admin CLI does not)
     * @param threads           scheduler threads for one-off jobs, besides one per recurring job kind
     * @param pollInterval      how often a node looks for due jobs
     * @param heartbeatInterval how often a node marks the jobs it runs as alive (4 missed: taken over)
     */
    public record Jobs(@DefaultValue("true") boolean enabled, @DefaultValue("4") int threads, @DefaultValue("PT1S") java.time.Duration pollInterval,
                       @DefaultValue("PT15S") java.time.Duration heartbeatInterval) {
    }

    /**
     * @param audiences    accepted {@code aud} values of /v1s JWS
     * @param maxLifetime  largest {@code exp - iat}
     * @param clockSkew    how far in the future {@code iat} may be
     * @param urlAllowlist hosts a key URL may use plain http for (tests, internal key servers)
     */
    public record Signing(@DefaultValue({"api.finqware.com", "openfinq"}) List<String> audiences,
                          @DefaultValue("PT1H") java.time.Duration maxLifetime,
                          @DefaultValue("PT60S") java.time.Duration clockSkew,
                          @DefaultValue List<String> urlAllowlist) {
    }

    /**
     * @param enabled          whether this node runs sync jobs and claims due refreshes
     * @param lease            how long a claimed job is this node's before another may take it over
     * @param workers          sync jobs this node runs at once (0: none)
     * @param pollInterval     how long an idle sync worker waits before it looks for a job again
     * @param scheduleInterval how often this node claims due refreshes (it claims until none is left)
     * @param refreshBatch     due refreshes claimed per statement
     */
    public record Sync(@DefaultValue("true") boolean enabled, @DefaultValue("PT60S") java.time.Duration lease,
                       @DefaultValue("4") int workers, @DefaultValue("PT0.5S") java.time.Duration pollInterval,
                       @DefaultValue("PT1M") java.time.Duration scheduleInterval,
                       @DefaultValue("1000") int refreshBatch) {
    }

    /**
     * @param interval       how often the expiry and purge jobs run
     * @param sessions       ended sessions (with their steps, applicant data, documents) are deleted this long after they ended
     * @param syncJobs       finished sync jobs are deleted this long after they finished
     * @param payments       payments in a final status are deleted this long after their last change
     * @param endedConsents  deleted or expired consents are deleted this long after their cached data was
     */
    public record Retention(@DefaultValue("PT2H") java.time.Duration interval,
                            @DefaultValue("P30D") java.time.Duration sessions,
                            @DefaultValue("P7D") java.time.Duration syncJobs,
                            @DefaultValue("P400D") java.time.Duration payments,
                            @DefaultValue("P90D") java.time.Duration endedConsents) {
    }

    /**
     * @param nonceTtl       lifetime of a step nonce
     * @param tempTokenTtl   lifetime of a temp_token
     * @param sessionTtl     an open session with no activity for this long expires
     * @param maxUploadBytes largest file a step upload takes
     * @param stepClaimTtl   how long a step calling the bank holds its session; a claim older than this (its node
     *                       died) is taken over by the next call. Longer than any bank call with its retries.
     */
    public record Onboarding(@DefaultValue("PT30M") java.time.Duration nonceTtl,
                             @DefaultValue("PT10M") java.time.Duration tempTokenTtl,
                             @DefaultValue("PT30M") java.time.Duration sessionTtl,
                             @DefaultValue("5242880") long maxUploadBytes,
                             @DefaultValue("PT5M") java.time.Duration stepClaimTtl) {
    }

    /**
     * @param url                  a sandbox bank running elsewhere; empty starts the embedded one
     * @param port                 port of the embedded one (0: any free port)
     * @param seed                 its data seed
     * @param largePsuTransactions history size of its large customer {@code bigcorp}
     * @param host                 address the embedded one listens on (0.0.0.0: every interface, e.g. for a phone on the LAN)
     * @param publicUrl            root browsers and other devices reach the embedded one at (its SCA links); empty: its own address
     */
    public record Sandbox(@DefaultValue("") String url, @DefaultValue("0") int port, @DefaultValue("42") long seed,
                          @DefaultValue("100000") int largePsuTransactions, @DefaultValue("127.0.0.1") String host,
                          @DefaultValue("") String publicUrl) {
    }

    /**
     * @param poolSize          connections this node keeps to PostgreSQL at most
     * @param connectionTimeout how long a request waits for a free connection before it is answered 503
     */
    public record Db(@DefaultValue("") String url, @DefaultValue("") String user, @DefaultValue("") String password,
                     @DefaultValue("20") int poolSize, @DefaultValue("PT5S") java.time.Duration connectionTimeout) {
        public boolean external() {
            return url != null && !url.isBlank();
        }
    }
}
