package org.openfinq.server.security;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * HTTP/1.1 over a plain socket, so a test can send what no HTTP client library would: raw bytes in the
 * request line, odd methods, NUL in headers, broken framing. One request per connection.
 */
final class RawHttp {

    private static final ObjectMapper JSON = JsonMapper.builder().build();

    /** What a server must never show: stack frames, exception and Java class names. */
    static final Pattern LEAK = Pattern.compile("\\tat |\\bat [a-z]+\\.[a-z]+\\.|Exception\\b|Error:|"
            + "\\b(java|javax|jakarta|org\\.springframework|org\\.apache|tools\\.jackson|com\\.fasterxml|com\\.nimbusds|"
            + "org\\.postgresql|com\\.zaxxer|org\\.openfinq)\\.[A-Za-z]");

    private final int port;

    RawHttp(org.openfinq.server.support.TestServer server) {
        this.port = Integer.parseInt(server.baseUrl().replaceAll(".*:", ""));
    }

    record Response(int status, Map<String, String> headers, byte[] body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        boolean isJson() {
            String ct = header("content-type");
            return ct != null && (ct.startsWith("application/json") || ct.contains("+json"));
        }

        /** The error object, or null when the body is not one (wrong content type, not JSON, fields missing). */
        JsonNode error() {
            if (!isJson()) {
                return null;
            }
            try {
                JsonNode n = JSON.readTree(body);
                boolean shaped = n != null && n.isObject() && n.path("id").isString() && n.path("type").isString()
                        && n.path("code").isString() && n.path("message").isString() && n.path("http").asInt() == status;
                return shaped ? n : null;
            } catch (RuntimeException e) {
                return null;
            }
        }

        /** The GoCardless Bank Account Data error object {summary, detail, status_code} the /api/v2 bridge answers. */
        JsonNode gocardlessError() {
            if (!isJson()) {
                return null;
            }
            try {
                JsonNode n = JSON.readTree(body);
                boolean shaped = n != null && n.isObject() && n.path("summary").isString() && !n.path("summary").asString().isBlank()
                        && n.has("detail") && n.path("status_code").asInt() == status;
                return shaped ? n : null;
            } catch (RuntimeException e) {
                return null;
            }
        }
    }

    Response get(String target, String... headerLines) {
        return send("GET", target, null, headerLines);
    }

    Response send(String method, String target, byte[] body, String... headerLines) {
        ByteArrayOutputStream req = new ByteArrayOutputStream();
        write(req, method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nConnection: close\r\n");
        for (String h : headerLines) {
            write(req, h + "\r\n");
        }
        if (body != null) {
            write(req, "Content-Length: " + body.length + "\r\n");
        }
        write(req, "\r\n");
        if (body != null) {
            req.writeBytes(body);
        }
        return exchange(req.toByteArray());
    }

    private static void write(ByteArrayOutputStream out, String s) {
        out.writeBytes(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Sends the bytes as they are and reads the answer until the server closes the connection. */
    Response exchange(byte[] request) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            socket.setSoTimeout(10000);
            try {
                socket.getOutputStream().write(request);
                socket.getOutputStream().flush();
            } catch (IOException resetWhileSending) {
                // the server may refuse and close before reading everything; its answer is still readable
            }
            byte[] raw;
            try {
                raw = readAll(socket.getInputStream());
            } catch (SocketTimeoutException e) {
                return new Response(-2, Map.of(), "no answer within 10 s".getBytes(StandardCharsets.UTF_8));
            }
            return parse(raw);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[16384];
        try {
            int n;
            while ((n = in.read(buf)) > 0) {
                out.write(buf, 0, n);
            }
        } catch (SocketTimeoutException | java.net.SocketException e) {
            if (out.size() == 0) {
                throw e;
            }
        }
        return out.toByteArray();
    }

    private static Response parse(byte[] raw) {
        String all = new String(raw, StandardCharsets.ISO_8859_1);
        int end = all.indexOf("\r\n\r\n");
        if (!all.startsWith("HTTP/1.") || end < 0) {
            return new Response(-1, Map.of(), raw);
        }
        String[] lines = all.substring(0, end).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.merge(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim(),
                        (a, b) -> a + ", " + b);
            }
        }
        byte[] body = java.util.Arrays.copyOfRange(raw, end + 4, raw.length);
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            body = dechunk(body);
        }
        return new Response(status, headers, body);
    }

    private static byte[] dechunk(byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int i = 0;
        while (i < body.length) {
            int lineEnd = indexOf(body, i);
            if (lineEnd < 0) {
                break;
            }
            String sizeLine = new String(body, i, lineEnd - i, StandardCharsets.ISO_8859_1).split(";")[0].trim();
            int size = Integer.parseInt(sizeLine, 16);
            if (size == 0) {
                break;
            }
            int start = lineEnd + 2;
            out.write(body, start, Math.min(size, body.length - start));
            i = start + size + 2;
        }
        return out.toByteArray();
    }

    private static int indexOf(byte[] b, int from) {
        for (int i = from; i < b.length - 1; i++) {
            if (b[i] == '\r' && b[i + 1] == '\n') {
                return i;
            }
        }
        return -1;
    }
}
