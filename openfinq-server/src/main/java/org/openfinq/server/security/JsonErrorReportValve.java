package org.openfinq.server.security;

import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.openfinq.server.web.ApiError;
import org.openfinq.server.web.ApiException;
import org.openfinq.server.web.ContainerErrors;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.Writer;
import java.util.UUID;

/**
 * What Tomcat refuses itself, before any filter or servlet (bad characters in the request line or headers,
 * a request line or headers over the size limit, {@code %2F} or {@code %00} in the path, TRACE, an
 * unsupported HTTP version), answers the error object instead of Tomcat's HTML page, with the same security
 * headers as every other answer (statuses mapped by {@link ContainerErrors}).
 */
public class JsonErrorReportValve extends ErrorReportValve {

    private static final ObjectMapper JSON = JsonMapper.builder().build();

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        ApiException e = ContainerErrors.forStatus(status, request.getMethod());
        try {
            response.setStatus(e.http());
            Headers.apply(response);
            response.setContentType("application/json");
            response.setCharacterEncoding("UTF-8");
            Writer writer = response.getReporter();
            if (writer != null) {
                writer.write(JSON.writeValueAsString(new ApiError(UUID.randomUUID().toString(), e.type(), e.http(),
                        e.code(), e.getMessage())));
                response.finishResponse();
            }
        } catch (IOException | IllegalStateException ignored) {
            // the connection is gone or the response was taken over; nothing more can be sent
        }
    }
}
