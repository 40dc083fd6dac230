package org.openfinq.server.bank;

import org.openfinq.connector.BankProfile;
import org.openfinq.connector.Connector;
import org.openfinq.connector.ConnectorFactory;
import org.openfinq.server.catalog.Catalog;
import org.openfinq.server.catalog.Servicer;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The connector of each bank, made from its profile by the factory of the profile's protocol. Connectors
 * hold no state of their own beyond HTTP clients, so each node may keep its own.
 */
@Component
public class Connectors {

    private final BankProfiles profiles;
    private final Catalog catalog;
    private final BankIsolation isolation;
    private final Map<String, Connector> connectors = new ConcurrentHashMap<>();

    public Connectors(BankProfiles profiles, Catalog catalog, BankIsolation isolation) {
        this.profiles = profiles;
        this.isolation = isolation;
        this.catalog = catalog;
        List<String> problems = new ArrayList<>();
        for (Servicer s : catalog.servicers()) {
            BankProfile p = s.bankProfile() == null ? null : profiles.find(s.bankProfile()).orElse(null);
            if (p == null) {
                problems.add("servicer " + s.name() + " names bank profile '" + s.bankProfile() + "', which does not exist");
                continue;
            }
            try {
                ConnectorFactory.forProtocol(p.protocol()).problems(p).forEach(m -> problems.add(m + " (bank profile " + p.id() + ")"));
            } catch (IllegalArgumentException e) {
                problems.add(e.getMessage() + " (bank profile " + p.id() + ")");
            }
        }
        if (!problems.isEmpty()) {
            throw new org.openfinq.server.config.ConfigurationProblem("Catalog and bank profiles do not fit: " + String.join("; ", problems),
                    "Correct the catalog (OPENFINQ_CATALOG_FILES) or the bank profile it names (OPENFINQ_BANK_PROFILE_FILES).");
        }
    }

    /** The connector for a bank profile id; each of its bank calls runs inside the bank's {@link BankIsolation}. */
    public Connector forProfile(String profileId) {
        return connectors.computeIfAbsent(profileId, id -> {
            BankProfile p = profiles.find(id).orElseThrow(() -> new IllegalArgumentException("No bank profile " + id));
            return new IsolatedConnector(ConnectorFactory.forProtocol(p.protocol()).create(p), isolation);
        });
    }

    /**
     * Why a servicer's bank cannot be used yet (its profile requires certificates it does not configure), in one
     * sentence for an {@code invalid_skill_name} error; empty when it can be used.
     */
    public java.util.Optional<String> unavailable(Servicer servicer) {
        List<String> missing = servicer.bankProfile() == null ? List.of() : profiles.missing(servicer.bankProfile());
        if (missing.isEmpty()) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(servicer.name() + " is not available on this server yet: its bank profile '"
                + servicer.bankProfile() + "' needs " + String.join(" and ", missing)
                + ", which the operator has not configured (see docs/going-live.md)");
    }

    /** The connector behind a catalog servicer. */
    public Connector forServicer(Servicer servicer) {
        return forProfile(servicer.bankProfile());
    }

    public Catalog catalog() {
        return catalog;
    }
}
