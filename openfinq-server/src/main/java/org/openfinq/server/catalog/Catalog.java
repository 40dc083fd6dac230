package org.openfinq.server.catalog;

import org.openfinq.server.config.ConfigurationProblem;
import org.openfinq.server.config.OpenfinqProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Servicers and skills: the built-in catalog shipped in the jar ({@code catalog/catalog.json}), with the
 * operator's catalog files ({@code OPENFINQ_CATALOG_FILES}) merged over it, an entry with the same id
 * replacing the built-in one. The catalog is configuration: every node loads the same files.
 */
@Component
public class Catalog {

    private static final Logger log = LoggerFactory.getLogger(Catalog.class);
    static final Pattern SKILL_ID = Pattern.compile("[a-z0-9]+(_[a-z0-9]+)*_#\\d+\\.\\d+");
    static final Set<String> TYPES = Set.of("aisp", "pisp", "marketplace");
    static final Set<String> ENVIRONMENTS = Set.of("sandbox", "production");

    record CatalogFile(List<Servicer> servicers, List<Skill> skills) {
    }

    private final Map<UUID, Servicer> servicers = new LinkedHashMap<>();
    private final Map<String, Skill> skills = new LinkedHashMap<>();

    public Catalog(OpenfinqProperties props) {
        ObjectMapper mapper = JsonMapper.builder()
                .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .build();
        try (InputStream in = Catalog.class.getResourceAsStream("/catalog/catalog.json")) {
            merge(mapper.readValue(in, CatalogFile.class), "built-in catalog");
        } catch (IOException | JacksonException e) {
            throw new IllegalStateException("The built-in catalog cannot be read", e);
        }
        for (String file : props.catalogFiles()) {
            if (file.isBlank()) {
                continue;
            }
            Path path = Path.of(file.strip());
            try {
                merge(mapper.readValue(Files.readAllBytes(path), CatalogFile.class), path.toString());
            } catch (IOException | JacksonException e) {
                throw new ConfigurationProblem("Catalog file " + path + " cannot be read: " + firstLine(e.getMessage()), CATALOG_FIX, e);
            }
        }
        validate();
        log.info("Catalog: {} servicers, {} skills", servicers.size(), skills.size());
    }

    private static final String CATALOG_FIX = "Correct the file or leave it out of OPENFINQ_CATALOG_FILES (the format: "
            + "the built-in catalog.json).";

    static String firstLine(String text) {
        return text == null ? "" : text.lines().findFirst().orElse("").strip();
    }

    private void merge(CatalogFile file, String source) {
        if (file.servicers() != null) {
            file.servicers().forEach(s -> servicers.put(require(s.id(), "servicer id", source), s));
        }
        if (file.skills() != null) {
            file.skills().forEach(s -> skills.put(require(s.id(), "skill id", source), s));
        }
    }

    private static <T> T require(T value, String what, String source) {
        if (value == null) {
            throw new ConfigurationProblem("A " + what + " is missing in " + source, CATALOG_FIX);
        }
        return value;
    }

    private void validate() {
        List<String> problems = new ArrayList<>();
        for (Servicer s : servicers.values()) {
            if (s.name() == null || s.country() == null || s.countryCode() == null || s.countryCode().length() != 2) {
                problems.add("servicer " + s.id() + " needs name, country and a two-letter country_code");
            }
        }
        for (Skill s : skills.values()) {
            if (!SKILL_ID.matcher(s.id()).matches()) {
                problems.add("skill id '" + s.id() + "' is not of the form <servicer>_<cc>_<type>_<env>_#<major>.<minor>");
            }
            if (!TYPES.contains(s.type())) {
                problems.add("skill " + s.id() + " has type '" + s.type() + "', expected one of " + TYPES);
            }
            if (!ENVIRONMENTS.contains(s.environment())) {
                problems.add("skill " + s.id() + " has environment '" + s.environment() + "', expected one of " + ENVIRONMENTS);
            }
            if (s.servicerId() == null || !servicers.containsKey(s.servicerId())) {
                problems.add("skill " + s.id() + " names unknown servicer " + s.servicerId());
            }
            if (s.steps() == null || s.steps().isEmpty()) {
                problems.add("skill " + s.id() + " has no steps");
            }
        }
        if (!problems.isEmpty()) {
            throw new ConfigurationProblem("The catalog is not valid: " + String.join("; ", problems), CATALOG_FIX);
        }
    }

    public List<Servicer> servicers() {
        return List.copyOf(servicers.values());
    }

    public List<Skill> skills() {
        return List.copyOf(skills.values());
    }

    public Optional<Skill> skill(String id) {
        return Optional.ofNullable(skills.get(id));
    }

    public Optional<Servicer> servicer(UUID id) {
        return Optional.ofNullable(servicers.get(id));
    }
}
