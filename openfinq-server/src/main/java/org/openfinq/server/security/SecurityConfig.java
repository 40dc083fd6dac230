package org.openfinq.server.security;

import org.apache.catalina.core.StandardHost;
import org.openfinq.server.admin.AdminToken;
import org.openfinq.server.bridge.simplefin.SimplefinAuthFilter;
import org.openfinq.server.bridge.simplefin.SimplefinBridge;
import org.openfinq.server.bridge.gocardless.GocardlessAuthFilter;
import org.openfinq.server.bridge.gocardless.GocardlessBridge;
import org.openfinq.server.bridge.gocardless.GocardlessErrors;
import org.openfinq.server.web.ErrorWriter;
import org.openfinq.server.abuse.AuthGuard;
import org.openfinq.server.admin.AdminTokenFilter;
import org.openfinq.server.config.OpenfinqProperties;
import org.openfinq.server.signing.JwsVerifier;
import org.openfinq.server.signing.SignedRequestFilter;
import org.openfinq.server.web.RequestBodyFilter;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.config.annotation.web.configuration.WebSecurityCustomizer;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.firewall.StrictHttpFirewall;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.openfinq.server.tenant.TenantStore;
import tools.jackson.databind.ObjectMapper;

/**
 * The one security layer. Every request first passes the {@link PathFirewall} (paths not in normal form are
 * refused before routing), then exactly one of the chains below, chosen by a path pattern matched the way the
 * router matches ({@link PathPatternRequestMatcher}): {@code /admin/**} (admin token check, body check),
 * {@code /v1s/**} (signature check, body check), {@code /v1/**} (body check), {@code /simplefin/**} (SimpleFIN
 * access URL credentials), {@code /api/v2/**} (GoCardless access JWTs), {@code /metrics} (metrics token), the Swagger UI, and everything else. The admin,
 * signed and metrics chains, and the SimpleFIN chain on its accounts route, also require the
 * authority their check grants, so a request their check did not pass is refused even if a check were skipped.
 * Every answer gets {@code Cache-Control: no-store}, {@code X-Content-Type-Options: nosniff}, a
 * {@code Content-Security-Policy} and {@code X-Frame-Options: DENY}.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebSecurity
public class SecurityConfig {

    private static final PathPatternRequestMatcher.Builder PATHS = PathPatternRequestMatcher.withDefaults();

    /** The routes that take a multipart body (a step's file upload), on /v1 and /v1s. */
    static final RequestMatcher UPLOADS = new OrRequestMatcher(
            PATHS.matcher(HttpMethod.POST, "/v1/sessions/{id}/steps/{stepId}/upload"),
            PATHS.matcher(HttpMethod.POST, "/v1s/sessions/{id}/steps/{stepId}/upload"));

    /**
     * No Spring Security observations: each filter of every chain would otherwise open, time and close an
     * observation per request (about a tenth of a signed read's CPU time); {@code openfinq_requests} already
     * times every call by route, status and error code.
     */
    @Bean
    org.springframework.security.config.observation.SecurityObservationSettings noSecurityObservations() {
        return org.springframework.security.config.observation.SecurityObservationSettings.noObservations();
    }

    @Bean
    StrictHttpFirewall httpFirewall() {
        return PathFirewall.create();
    }

    @Bean
    SecurityErrors securityErrors(ObjectMapper json) {
        return new SecurityErrors(json);
    }

    @Bean
    WebSecurityCustomizer firewallAndRejections(StrictHttpFirewall firewall, SecurityErrors errors) {
        return web -> web.httpFirewall(firewall).requestRejectedHandler(errors);
    }

    @Bean
    @Order(1)
    SecurityFilterChain adminApi(HttpSecurity http, AdminToken token, ObjectMapper json, OpenfinqProperties props,
                                 SecurityErrors errors, AuthGuard guard) throws Exception {
        String message = "The admin API needs 'Authorization: Bearer <admin token>'";
        base(http.securityMatcher(PATHS.matcher("/admin/**")), Headers.API_CSP, errors, "invalid_api_keys", message);
        http.addFilterBefore(new AdminTokenFilter(token, json, guard), AuthorizationFilter.class);
        http.addFilterBefore(new RequestBodyFilter(props, json, UPLOADS), AuthorizationFilter.class);
        http.authorizeHttpRequests(a -> a.anyRequest().hasAuthority(Bearer.ADMIN));
        return http.build();
    }

    @Bean
    @Order(2)
    SecurityFilterChain signedApi(HttpSecurity http, JwsVerifier verifier, ObjectMapper json, OpenfinqProperties props,
                                  SecurityErrors errors) throws Exception {
        base(http.securityMatcher(PATHS.matcher("/v1s/**")), Headers.API_CSP, errors, "missing_authorization",
                "/v1s requests need 'Authorization: Bearer <JWS>'");
        http.addFilterBefore(new SignedRequestFilter(verifier, json, props, UPLOADS), AuthorizationFilter.class);
        http.addFilterBefore(new RequestBodyFilter(props, json, UPLOADS), AuthorizationFilter.class);
        http.authorizeHttpRequests(a -> a.anyRequest().hasAuthority(Bearer.SIGNED));
        return http.build();
    }

    @Bean
    @Order(3)
    SecurityFilterChain api(HttpSecurity http, ObjectMapper json, OpenfinqProperties props, SecurityErrors errors,
                            TenantStore tenants) throws Exception {
        base(http.securityMatcher(PATHS.matcher("/v1/**")), Headers.API_CSP, errors, "unauthorized", "Not allowed");
        http.addFilterBefore(new RequestBodyFilter(props, json, UPLOADS), AuthorizationFilter.class);
        http.addFilterBefore(new BrowserOrigins(tenants, json), AuthorizationFilter.class);
        http.authorizeHttpRequests(a -> a.anyRequest().permitAll());
        return http.build();
    }

    @Bean
    @Order(4)
    SecurityFilterChain metrics(HttpSecurity http, ObjectMapper json, SecurityErrors errors,
                                @Value("${openfinq.metrics-token:}") String metricsToken) throws Exception {
        String message = "Metrics need 'Authorization: Bearer <metrics token>'";
        base(http.securityMatcher(PATHS.matcher("/metrics/**")), Headers.API_CSP, errors, "invalid_api_keys", message);
        http.addFilterBefore(new MetricsTokenFilter(metricsToken, json), AuthorizationFilter.class);
        http.authorizeHttpRequests(a -> a.anyRequest().hasAuthority(Bearer.METRICS));
        return http.build();
    }

    /**
     * The SimpleFIN Bridge protocol: {@code /simplefin/accounts} needs the access URL's Basic credentials
     * ({@link SimplefinAuthFilter}); wrong, missing or revoked ones answer 403, as SimpleFIN clients expect. The
     * claim and info routes are open (the claim token is the credential). Disjoint from the other chains.
     */
    @Bean
    @Order(4)
    SecurityFilterChain simplefin(HttpSecurity http, SimplefinBridge bridge, AuthGuard guard, ObjectMapper json,
                                  SecurityErrors errors) throws Exception {
        base(http.securityMatcher(PATHS.matcher(SimplefinBridge.ROOT + "/**")), Headers.API_CSP, errors,
                "invalid_simplefin_access", "Not allowed");
        http.exceptionHandling(e -> e.authenticationEntryPoint((request, response, x) ->
                        ErrorWriter.write(request, response, SimplefinAuthFilter.refused(), json))
                .accessDeniedHandler((request, response, x) ->
                        ErrorWriter.write(request, response, SimplefinAuthFilter.refused(), json)));
        http.addFilterBefore(new SimplefinAuthFilter(bridge, guard, json), AuthorizationFilter.class);
        http.authorizeHttpRequests(a -> a.requestMatchers(PATHS.matcher(SimplefinAuthFilter.ACCOUNTS))
                .hasAuthority(SimplefinAuthFilter.AUTHORITY).anyRequest().permitAll());
        return http.build();
    }

    /**
     * The GoCardless Bank Account Data v2 API: every route but {@code token/} and the requisition {@code link/} pages
     * needs an access JWT ({@link GocardlessAuthFilter}); a missing, wrong or revoked one answers GoCardless's 401.
     * No admin or tenant credential is accepted here. Disjoint from the other chains.
     */
    @Bean
    @Order(4)
    SecurityFilterChain gocardless(HttpSecurity http, GocardlessBridge bridge, AuthGuard guard, ObjectMapper json,
                                   SecurityErrors errors) throws Exception {
        base(http.securityMatcher(PATHS.matcher(GocardlessBridge.ROOT + "/**")), Headers.API_CSP, errors, "unauthorized",
                "Not allowed");
        http.exceptionHandling(e -> e.authenticationEntryPoint((request, response, x) ->
                        GocardlessErrors.write(request, response, GocardlessBridge.invalidToken(), json))
                .accessDeniedHandler((request, response, x) ->
                        GocardlessErrors.write(request, response, GocardlessBridge.invalidToken(), json)));
        http.addFilterBefore(new GocardlessAuthFilter(bridge, guard, json), AuthorizationFilter.class);
        http.authorizeHttpRequests(a -> a.requestMatchers(PATHS.matcher(GocardlessAuthFilter.TOKEN + "**"),
                        PATHS.matcher(GocardlessAuthFilter.LINK + "**")).permitAll()
                .anyRequest().hasAuthority(GocardlessAuthFilter.AUTHORITY));
        return http.build();
    }

    @Bean
    @Order(5)
    SecurityFilterChain docs(HttpSecurity http, SecurityErrors errors) throws Exception {
        base(http.securityMatcher(new OrRequestMatcher(PATHS.matcher("/docs"), PATHS.matcher("/docs/**"),
                PATHS.matcher("/swagger-ui/**"))), Headers.DOCS_CSP, errors, "unauthorized", "Not allowed");
        http.authorizeHttpRequests(a -> a.anyRequest().permitAll());
        return http.build();
    }

    @Bean
    @Order(6)
    SecurityFilterChain pages(HttpSecurity http, SecurityErrors errors) throws Exception {
        base(http.securityMatcher(new OrRequestMatcher(PATHS.matcher("/"), PATHS.matcher("/connect/**"),
                PATHS.matcher("/demo"), PATHS.matcher("/demo/**"))), Headers.PAGES_CSP, errors, "unauthorized", "Not allowed");
        http.authorizeHttpRequests(a -> a.anyRequest().permitAll());
        return http.build();
    }

    @Bean
    @Order(7)
    SecurityFilterChain everythingElse(HttpSecurity http, SecurityErrors errors) throws Exception {
        base(http, Headers.API_CSP, errors, "unauthorized", "Not allowed");
        http.authorizeHttpRequests(a -> a.anyRequest().permitAll());
        return http.build();
    }

    private static void base(HttpSecurity http, String csp, SecurityErrors errors, String code, String message)
            throws Exception {
        http.csrf(AbstractHttpConfigurer::disable)
                .formLogin(AbstractHttpConfigurer::disable)
                .httpBasic(AbstractHttpConfigurer::disable)
                .logout(AbstractHttpConfigurer::disable)
                .requestCache(AbstractHttpConfigurer::disable)
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .headers(h -> h.contentSecurityPolicy(c -> c.policyDirectives(csp))
                        .referrerPolicy(r -> r.policy(ReferrerPolicyHeaderWriter.ReferrerPolicy.NO_REFERRER)))
                .exceptionHandling(e -> e.authenticationEntryPoint(errors.unauthorized(code, message))
                        .accessDeniedHandler(errors.denied(code, message)));
    }

    /** Tomcat's own refusals answer the error object too (see {@link JsonErrorReportValve}). */
    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> jsonContainerErrors() {
        return factory -> factory.addContextCustomizers(context -> {
            if (context.getParent() instanceof StandardHost host) {
                host.setErrorReportValveClass(JsonErrorReportValve.class.getName());
            }
        });
    }
}
