package org.openfinq.server.signing;

import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The compact re-serialisations of a received JSON body that the Finqware docs tell a client to sign: the same
 * keys in the order received, no whitespace, numbers as written, strings re-escaped the way JSON libraries write
 * them. Two forms, because libraries differ only there: non-ASCII characters as UTF-8 (JavaScript
 * {@code JSON.stringify}, Jackson, Gson, Go) or as {@code \}{@code uXXXX} escapes (Python's {@code json.dumps}
 * default). A body that is not one strict JSON value (a key given twice in one object, trailing content) has no
 * compact form: only its exact bytes can be signed.
 */
final class CompactJson {

    private static final ObjectMapper STRICT = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    private CompactJson() {
    }

    /** The compact forms (UTF-8 first, then ASCII-escaped when it differs), or an empty list when the body is not strict JSON. */
    static List<byte[]> forms(byte[] body) {
        StringBuilder utf8 = new StringBuilder(body.length);
        StringBuilder ascii = new StringBuilder(body.length);
        try (JsonParser p = STRICT.createParser(body)) {
            JsonToken t = p.nextToken();
            if (t == null) {
                return List.of();
            }
            write(p, t, utf8, ascii);
            if (p.nextToken() != null) {
                return List.of();
            }
        } catch (JacksonException notStrictJson) {
            return List.of();
        }
        byte[] u = utf8.toString().getBytes(StandardCharsets.UTF_8);
        String a = ascii.toString();
        return a.contentEquals(utf8) ? List.of(u) : List.of(u, a.getBytes(StandardCharsets.US_ASCII));
    }

    private static void write(JsonParser p, JsonToken first, StringBuilder utf8, StringBuilder ascii) {
        int depth = 0;
        boolean needComma = false;
        JsonToken t = first;
        while (true) {
            switch (t) {
                case START_OBJECT, START_ARRAY -> {
                    comma(needComma, utf8, ascii);
                    char c = t == JsonToken.START_OBJECT ? '{' : '[';
                    utf8.append(c);
                    ascii.append(c);
                    depth++;
                    needComma = false;
                }
                case END_OBJECT, END_ARRAY -> {
                    char c = t == JsonToken.END_OBJECT ? '}' : ']';
                    utf8.append(c);
                    ascii.append(c);
                    depth--;
                    needComma = true;
                }
                case PROPERTY_NAME -> {
                    comma(needComma, utf8, ascii);
                    string(p.currentName(), utf8, ascii);
                    utf8.append(':');
                    ascii.append(':');
                    needComma = false;
                }
                case VALUE_STRING -> {
                    comma(needComma, utf8, ascii);
                    string(p.getString(), utf8, ascii);
                    needComma = true;
                }
                default -> { // numbers as written, true, false, null
                    comma(needComma, utf8, ascii);
                    String text = p.getString();
                    utf8.append(text);
                    ascii.append(text);
                    needComma = true;
                }
            }
            if (depth == 0) {
                return;
            }
            t = p.nextToken();
            if (t == null) {
                throw new IllegalStateException("unbalanced JSON"); // the strict parser reports this first
            }
        }
    }

    private static void comma(boolean needed, StringBuilder utf8, StringBuilder ascii) {
        if (needed) {
            utf8.append(',');
            ascii.append(',');
        }
    }

    private static void string(String s, StringBuilder utf8, StringBuilder ascii) {
        utf8.append('"');
        ascii.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            String escape = switch (c) {
                case '"' -> "\\\"";
                case '\\' -> "\\\\";
                case '\b' -> "\\b";
                case '\f' -> "\\f";
                case '\n' -> "\\n";
                case '\r' -> "\\r";
                case '\t' -> "\\t";
                default -> c < 0x20 ? unicode(c) : null;
            };
            if (escape != null) {
                utf8.append(escape);
                ascii.append(escape);
            } else {
                utf8.append(c);
                ascii.append(c < 0x7f ? String.valueOf(c) : unicode(c));
            }
        }
        utf8.append('"');
        ascii.append('"');
    }

    private static String unicode(char c) {
        return String.format("\\u%04x", (int) c);
    }
}
