package org.openfinq.server.config;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

import java.util.Locale;
import java.util.Map;

/**
 * {@code OPENFINQ_LOG_FORMAT}: {@code text} (default, one line per event), {@code json} or {@code ecs} (Elastic
 * Common Schema JSON, one object per line), {@code logstash} or {@code gelf}: Spring Boot's structured console
 * logging, chosen before logging starts. Registered in {@code META-INF/spring.factories}.
 */
public class LogFormat implements EnvironmentPostProcessor {

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        String format = environment.getProperty("openfinq.log-format", "text").strip().toLowerCase(Locale.ROOT);
        String structured = switch (format) {
            case "", "text" -> null;
            case "json", "ecs" -> "ecs";
            case "logstash", "gelf" -> format;
            default -> throw new ConfigurationProblem("OPENFINQ_LOG_FORMAT is '" + format + "'",
                    "Set OPENFINQ_LOG_FORMAT to text, json (ECS), logstash or gelf.");
        };
        if (structured != null) {
            environment.getPropertySources().addFirst(new MapPropertySource("openfinq-log-format",
                    Map.of("logging.structured.format.console", structured)));
        }
    }
}
