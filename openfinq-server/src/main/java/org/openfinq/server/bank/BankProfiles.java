package org.openfinq.server.bank;

import org.openfinq.connector.BankProfile;
import org.openfinq.server.config.ConfigurationProblem;
import org.openfinq.server.config.OpenfinqProperties;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Bank profiles: the built-in ones ({@code bank-profiles/*.json} in the jar) with the operator's files
 * ({@code OPENFINQ_BANK_PROFILE_FILES}) merged over them by id. The base URL {@code embedded} (or
 * {@code embedded/<path>}) is the sandbox bank this server runs or points at.
 */
@Component
public class BankProfiles {

    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final String PROFILE_FIX = "Correct the profile or leave it out of OPENFINQ_BANK_PROFILE_FILES (the format: "
            + "the built-in bank-profiles/*.json).";
    private static final Set<String> FIELDS = Set.of("id", "name", "protocol", "base_url", "sca_approach",
            "payment_products", "max_history_days", "unattended_calls_per_day", "signing", "connect_timeout",
            "read_timeout", "quirks", "notes", "isolation", "tls", "requires", "institution_ids");
    private static final Set<String> REQUIREMENTS = Set.of("qwac", "qsealc");
    private static final Set<String> TLS = Set.of("certificate_file", "key_file", "password_env", "password_file", "trust_file");
    private static final Set<String> SIGNING = Set.of("required", "key_file", "certificate_file", "password_env", "password_file");
    private static final Set<String> ISOLATION = Set.of("max_concurrent_calls", "failure_rate_threshold", "sliding_window",
            "minimum_calls", "open_for", "half_open_calls");

    private final Map<String, BankProfile> profiles = new LinkedHashMap<>();
    private final Map<String, JsonNode> isolation = new LinkedHashMap<>();
    private final Map<String, List<String>> requires = new LinkedHashMap<>();
    private final Map<String, Map<String, String>> institutionIds = new LinkedHashMap<>();

    public BankProfiles(OpenfinqProperties props, SandboxBankRunner sandbox) {
        try {
            for (Resource r : new PathMatchingResourcePatternResolver().getResources("classpath*:bank-profiles/*.json")) {
                try (InputStream in = r.getInputStream()) {
                    add(JSON.readTree(in), r.getFilename());
                }
            }
            for (String file : props.bankProfileFiles()) {
                if (!file.isBlank()) {
                    Path p = Path.of(file.strip());
                    add(JSON.readTree(Files.readAllBytes(p)), p.toString());
                }
            }
        } catch (IOException | JacksonException e) {
            throw new ConfigurationProblem("Bank profiles cannot be read: " + e.getMessage(), PROFILE_FIX, e);
        }
        // "embedded", or "embedded/<path>" (e.g. one of the sandbox bank's authorisation variants, embedded/oauth)
        profiles.replaceAll((id, p) -> p.baseUrl().toString().equals("embedded") || p.baseUrl().toString().startsWith("embedded/")
                ? p.withBaseUrl(URI.create(sandbox.url() + p.baseUrl().toString().substring("embedded".length()))) : p);
    }

    private void add(JsonNode n, String source) {
        BankProfile p = parse(n, source);
        profiles.put(p.id(), p);
        List<String> needs = new ArrayList<>();
        n.path("requires").forEach(x -> needs.add(x.asString()));
        if (!n.path("requires").isMissingNode() && (!n.path("requires").isArray() || !REQUIREMENTS.containsAll(needs))) {
            throw new ConfigurationProblem("Bank profile " + source + ": 'requires' must be a list of " + REQUIREMENTS
                    + ", not " + n.path("requires"), PROFILE_FIX);
        }
        requires.put(p.id(), List.copyOf(needs));
        JsonNode ids = n.path("institution_ids");
        Map<String, String> idMap = new LinkedHashMap<>();
        if (!ids.isMissingNode()) {
            if (!ids.isObject()) {
                throw new ConfigurationProblem("Bank profile " + source + ": 'institution_ids' must be an object of "
                        + "aggregator name to that aggregator's id of the bank, e.g. {\"gocardless\": \"ING_INGDDEFF\"}", PROFILE_FIX);
            }
            ids.properties().forEach(e -> {
                if (!e.getValue().isString() || e.getValue().asString().isBlank()) {
                    throw new ConfigurationProblem("Bank profile " + source + ": institution_ids." + e.getKey()
                            + " must be a non-empty string", PROFILE_FIX);
                }
                idMap.put(e.getKey(), e.getValue().asString());
            });
        }
        institutionIds.put(p.id(), Map.copyOf(idMap));
        JsonNode iso = n.path("isolation");
        if (iso.isObject()) {
            List<String> unknown = iso.propertyNames().stream().filter(k -> !ISOLATION.contains(k)).toList();
            if (!unknown.isEmpty()) {
                throw new ConfigurationProblem("Bank profile " + source + " has unknown isolation fields " + unknown
                        + " (known: " + ISOLATION + ")", PROFILE_FIX);
            }
            isolation.put(p.id(), iso);
            isolation(p.id(), new BankIsolation.Limits(1, 1, 1, 1, Duration.ofSeconds(1), 1)); // a bad value fails now
        } else {
            isolation.remove(p.id());
        }
    }

    /**
     * The ids other aggregators give this bank, from the profile's {@code institution_ids} (e.g. {@code gocardless}:
     * the GoCardless Bank Account Data institution id that clients key their bank-specific mappings by); empty when
     * the profile declares none.
     */
    public java.util.Optional<String> institutionId(String profileId, String aggregator) {
        return java.util.Optional.ofNullable(institutionIds.getOrDefault(profileId, Map.of()).get(aggregator));
    }

    /** The bulkhead and circuit breaker limits of a bank: {@code defaults} with its profile's {@code isolation} overrides. */
    public BankIsolation.Limits isolation(String id, BankIsolation.Limits defaults) {
        JsonNode n = isolation.get(id);
        if (n == null) {
            return defaults;
        }
        try {
            return new BankIsolation.Limits(n.path("max_concurrent_calls").asInt(defaults.maxConcurrentCalls()),
                    n.path("failure_rate_threshold").asInt(defaults.failureRateThreshold()),
                    n.path("sliding_window").asInt(defaults.slidingWindow()),
                    n.path("minimum_calls").asInt(defaults.minimumCalls()),
                    n.has("open_for") ? Duration.parse(n.get("open_for").asString()) : defaults.openFor(),
                    n.path("half_open_calls").asInt(defaults.halfOpenCalls()));
        } catch (java.time.format.DateTimeParseException e) {
            throw new ConfigurationProblem("Bank profile " + id + ": isolation.open_for is not an ISO duration", PROFILE_FIX, e);
        } catch (IllegalArgumentException e) {
            throw new ConfigurationProblem("Bank profile " + id + ": " + e.getMessage(), PROFILE_FIX, e);
        }
    }

    static BankProfile parse(JsonNode n, String source) {
        List<String> unknown = new ArrayList<>();
        n.propertyNames().forEach(k -> {
            if (!FIELDS.contains(k)) {
                unknown.add(k);
            }
        });
        if (!unknown.isEmpty()) {
            throw new ConfigurationProblem("Bank profile " + source + " has unknown fields " + unknown, PROFILE_FIX);
        }
        for (String required : List.of("id", "protocol", "base_url")) {
            if (!n.path(required).isString()) {
                throw new ConfigurationProblem("Bank profile " + source + " needs '" + required + "'", PROFILE_FIX);
            }
        }
        List<String> products = new ArrayList<>();
        n.path("payment_products").forEach(x -> products.add(x.asString()));
        Map<String, String> quirks = new LinkedHashMap<>();
        n.path("quirks").properties().forEach(e -> quirks.put(e.getKey(), e.getValue().asString()));
        JsonNode signing = n.path("signing");
        JsonNode tls = n.path("tls");
        onlyKnown(signing, SIGNING, "signing", source);
        onlyKnown(tls, TLS, "tls", source);
        try {
            return new BankProfile(n.get("id").asString(), n.path("name").asString(n.get("id").asString()),
                    n.get("protocol").asString(), URI.create(n.get("base_url").asString()),
                    n.has("sca_approach") ? BankProfile.ScaApproach.valueOf(n.get("sca_approach").asString()) : null,
                    products.isEmpty() ? null : products, n.path("max_history_days").asInt(0),
                    n.path("unattended_calls_per_day").asInt(0),
                    signing.path("required").asBoolean(false) ? new BankProfile.Signing(true,
                            signing.path("key_file").asString(null), signing.path("certificate_file").asString(null),
                            signing.path("password_env").asString(null), signing.path("password_file").asString(null)) : null,
                    n.has("connect_timeout") ? Duration.parse(n.get("connect_timeout").asString()) : null,
                    n.has("read_timeout") ? Duration.parse(n.get("read_timeout").asString()) : null, quirks,
                    tls.isObject() ? new BankProfile.Tls(tls.path("certificate_file").asString(null), tls.path("key_file").asString(null),
                            tls.path("password_env").asString(null), tls.path("password_file").asString(null),
                            tls.path("trust_file").asString(null)) : null);
        } catch (IllegalArgumentException | java.time.format.DateTimeParseException e) {
            throw new ConfigurationProblem("Bank profile " + source + " is not valid: " + e.getMessage(), PROFILE_FIX, e);
        }
    }

    private static void onlyKnown(JsonNode section, Set<String> known, String name, String source) {
        if (section.isObject()) {
            List<String> unknown = section.propertyNames().stream().filter(k -> !known.contains(k)).toList();
            if (!unknown.isEmpty()) {
                throw new IllegalStateException("Bank profile " + source + " has unknown " + name + " fields " + unknown
                        + " (known: " + known + ")");
            }
        }
    }

    /**
     * What a bank needs before it can be used and its profile does not configure: the profile's {@code requires}
     * ({@code qwac}: a client certificate for mutual TLS in {@code tls}; {@code qsealc}: a seal in {@code signing}),
     * each said in words. Empty when the bank can be used.
     */
    public List<String> missing(String id) {
        BankProfile p = profiles.get(id);
        if (p == null) {
            return List.of("a bank profile " + id);
        }
        List<String> out = new ArrayList<>();
        List<String> needs = requires.getOrDefault(id, List.of());
        if (needs.contains("qwac") && (p.tls() == null || p.tls().certificateFile() == null)) {
            out.add("a QWAC for mutual TLS (tls.certificate_file and tls.key_file, or a PKCS#12 file with its password)");
        }
        if (needs.contains("qsealc") && !p.signing().required()) {
            out.add("a QSealC for request signing (signing.required with signing.certificate_file and signing.key_file)");
        }
        return out;
    }

    public Optional<BankProfile> find(String id) {
        return Optional.ofNullable(profiles.get(id));
    }

    public List<BankProfile> all() {
        return List.copyOf(profiles.values());
    }
}
