package org.openfinq.server.web;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Documents an endpoint in the served OpenAPI description: its JSON request body, its 200 response and the
 * error responses (400, 401, 404, 413, 500 — all with the {@code Error} schema) with the codes it can give.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
public @interface ApiDoc {

    /** The JSON request body, or {@code Void.class} for none. */
    Class<?> request() default Void.class;

    /** The request body's media type. */
    String requestType() default "application/json";

    /** The 200 response body, or {@code Void.class} for none. */
    Class<?> response() default Void.class;

    /** The response is a JSON array of {@link #response()}. */
    boolean array() default false;

    /** The success status. */
    int status() default 200;

    /** Response headers of the success response, each {@code "Name: description"}. */
    String[] headers() default {};

    /** Error codes beyond the ones every JSON endpoint can give. */
    String[] errors() default {};
}
