package org.openfinq.server.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.openfinq.server.config.OpenfinqProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * One DataSource: the external PostgreSQL when {@code OPENFINQ_DB_URL} is set, otherwise the embedded
 * PostgreSQL kept under {@code $OPENFINQ_DATA_DIR/postgres}.
 */
@Configuration(proxyBeanMethods = false)
public class DatabaseConfig {

    private static final Logger log = LoggerFactory.getLogger(DatabaseConfig.class);

    @Bean(destroyMethod = "close")
    public EmbeddedDatabase embeddedDatabase(OpenfinqProperties props) {
        return props.db().external() ? EmbeddedDatabase.none() : EmbeddedDatabase.startOrAttach(props.dataDir().resolve("postgres"));
    }

    @Bean(destroyMethod = "close")
    public HikariDataSource dataSource(OpenfinqProperties props, EmbeddedDatabase embedded) {
        HikariConfig config = new HikariConfig();
        if (props.db().external()) {
            config.setJdbcUrl(props.db().url());
            if (!props.db().user().isBlank()) {
                config.setUsername(props.db().user());
            }
            if (!props.db().password().isBlank()) {
                config.setPassword(props.db().password());
            }
            log.info("Database: external PostgreSQL at {}", withoutCredentials(props.db().url()));
        } else {
            config.setJdbcUrl(embedded.jdbcUrl());
            config.setUsername("postgres");
            log.warn("Database: embedded PostgreSQL in {} - for development and trying out only (fsync off, one node, "
                    + "no backups); in production set OPENFINQ_DB_URL to a PostgreSQL server", embedded.dataDirectory());
        }
        config.setPoolName("openfinq");
        config.setMaximumPoolSize(props.db().poolSize());
        config.setConnectionTimeout(Math.max(250, props.db().connectionTimeout().toMillis()));
        return new HikariDataSource(config);
    }

    static String withoutCredentials(String url) {
        int q = url.indexOf('?');
        return q < 0 ? url : url.substring(0, q);
    }
}
