package org.openfinq.server.security;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Registered only by the tests that need it: records every request Spring MVC hands to a controller method
 * (method and route pattern), so a test can prove that a request never reached one.
 */
@Configuration(proxyBeanMethods = false)
public class ControllerProbe implements WebMvcConfigurer {

    static final List<String> REACHED = new CopyOnWriteArrayList<>();

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(new HandlerInterceptor() {
            @Override
            public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
                if (handler instanceof HandlerMethod) {
                    REACHED.add(request.getMethod() + " " + request.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE));
                }
                return true;
            }
        });
    }

    static long reached(String prefix) {
        return REACHED.stream().filter(r -> r.split(" ", 2)[1].startsWith(prefix)).count();
    }
}
