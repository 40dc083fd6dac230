package org.openfinq.server.web;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Errors raised below Spring MVC (the servlet container) also answer with the error object, never HTML. */
@RestController
public class FallbackErrorController implements ErrorController {

    @RequestMapping("/error")
    public ResponseEntity<ApiError> error(HttpServletRequest request) {
        Object status = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        Object failure = request.getAttribute(RequestDispatcher.ERROR_EXCEPTION);
        if (status == null) {
            return ErrorWriter.entity(request, ApiException.notFound("No such endpoint: " + request.getMethod() + " /error"));
        }
        int http = status instanceof Integer i ? i : 500;
        if (http == 404) {
            Object uri = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
            return ErrorWriter.entity(request, ApiException.notFound("No such endpoint: " + uri));
        }
        if (http >= 400 && http < 500 || http == 501 || http == 505) {
            return ErrorWriter.entity(request, ContainerErrors.forStatus(http, request.getMethod()));
        }
        return ErrorWriter.unexpected(request, failure instanceof Throwable t ? t
                : new IllegalStateException("container error " + http));
    }
}
