package org.openfinq.server.web;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.ResponseEntity;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.apache.tomcat.util.http.InvalidParameterException;
import org.openfinq.server.security.SecurityErrors;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.web.ErrorResponse;
import org.springframework.web.multipart.MaxUploadSizeExceededException;
import org.springframework.web.multipart.MultipartException;
import org.springframework.web.servlet.NoHandlerFoundException;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/** Every failure inside Spring MVC becomes a Finqware error object; nothing else ever leaves. */
@RestControllerAdvice
public class ApiExceptionHandler {

    @ExceptionHandler(ApiException.class)
    public ResponseEntity<ApiError> api(HttpServletRequest request, ApiException e) {
        return ErrorWriter.entity(request, e);
    }

    @ExceptionHandler({NoResourceFoundException.class, NoHandlerFoundException.class})
    public ResponseEntity<ApiError> notFound(HttpServletRequest request) {
        return ErrorWriter.entity(request, ApiException.notFound(
                "No such endpoint: " + request.getMethod() + " " + request.getRequestURI()));
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    public ResponseEntity<ApiError> method(HttpServletRequest request, HttpRequestMethodNotSupportedException e) {
        return ErrorWriter.entity(request, ApiException.notFound("No such endpoint: " + request.getMethod() + " "
                + request.getRequestURI() + " (supported: " + String.join(", ", e.getSupportedMethods() == null
                ? new String[0] : e.getSupportedMethods()) + ")"));
    }

    @ExceptionHandler({HttpMediaTypeNotSupportedException.class, HttpMediaTypeNotAcceptableException.class})
    public ResponseEntity<ApiError> mediaType(HttpServletRequest request, Exception e) {
        return ErrorWriter.entity(request, ApiException.invalidHeaders(e.getMessage()));
    }

    @ExceptionHandler(MaxUploadSizeExceededException.class)
    public ResponseEntity<ApiError> upload(HttpServletRequest request) {
        return ErrorWriter.entity(request, new ApiException("invalid_request", 413, "invalid_body", "Upload too large"));
    }

    /** A multipart body that cannot be parsed: no boundary, cut off, bad part headers. */
    @ExceptionHandler(MultipartException.class)
    public ResponseEntity<ApiError> multipart(HttpServletRequest request) {
        return ErrorWriter.entity(request, ApiException.invalidBody("The multipart/form-data body cannot be read"));
    }

    /** The firewall's checks of header and parameter values run when they are read, here or in a filter. */
    @ExceptionHandler(RequestRejectedException.class)
    public ResponseEntity<ApiError> rejected(HttpServletRequest request, RequestRejectedException e) {
        return ErrorWriter.entity(request, SecurityErrors.classify(request, e));
    }

    /** A query or form parameter Tomcat cannot decode (bad percent-encoding, invalid UTF-8). */
    @ExceptionHandler(InvalidParameterException.class)
    public ResponseEntity<ApiError> parameter(HttpServletRequest request, InvalidParameterException e) {
        return ErrorWriter.entity(request, clientError(e).orElseThrow());
    }

    @ExceptionHandler(Throwable.class)
    public ResponseEntity<ApiError> unexpected(HttpServletRequest request, Throwable t) {
        return clientError(t).map(e -> ErrorWriter.entity(request, e)).orElseGet(() -> ErrorWriter.unexpected(request, t));
    }

    /**
     * The client's error a failure of the web layer stands for (an undecodable parameter, a request Spring could not
     * read), or empty when it is the server's own failure. Shared with the bridges that answer in their own shape.
     */
    public static java.util.Optional<ApiException> clientError(Throwable t) {
        if (t instanceof InvalidParameterException) {
            return java.util.Optional.of(ApiException.invalid("invalid_parameter",
                    "A query or form parameter is not valid percent-encoded UTF-8"));
        }
        if (t instanceof ErrorResponse e && e.getStatusCode().is4xxClientError()) {
            return java.util.Optional.of(new ApiException("invalid_request", e.getStatusCode().value(),
                    "invalid_input", "The request could not be read"));
        }
        return java.util.Optional.empty();
    }
}
