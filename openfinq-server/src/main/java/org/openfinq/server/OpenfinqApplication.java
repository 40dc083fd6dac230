package org.openfinq.server;

import org.openfinq.server.config.OpenfinqProperties;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.WebMvcObservationAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

// Spring's http.server.requests observation duplicates openfinq_requests (RequestLogFilter) at a cost on every call
@SpringBootApplication(exclude = {UserDetailsServiceAutoConfiguration.class, WebMvcObservationAutoConfiguration.class})
@EnableConfigurationProperties(OpenfinqProperties.class)
public class OpenfinqApplication {
}
