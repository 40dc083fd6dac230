package org.openfinq.bench;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Where the server's CPU time goes, from a JFR recording: the share of execution samples per top frame and per area. */
final class Profile {

    private Profile() {
    }

    static Map<String, Double> areas(Path jfr) throws Exception {
        Map<String, Integer> byArea = new HashMap<>();
        int total = 0;
        for (RecordedEvent e : RecordingFile.readAllEvents(jfr)) {
            if (!e.getEventType().getName().equals("jdk.ExecutionSample") || e.getStackTrace() == null) {
                continue;
            }
            total++;
            byArea.merge(area(e.getStackTrace().getFrames()), 1, Integer::sum);
        }
        Map<String, Double> out = new LinkedHashMap<>();
        int all = total;
        byArea.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(12)
                .forEach(en -> out.put(en.getKey(), 100.0 * en.getValue() / all));
        return out;
    }

    /** The first frame that says what the work is for, walking from the top of the stack. */
    static String area(List<RecordedFrame> frames) {
        for (RecordedFrame f : frames) {
            String type = f.getMethod().getType().getName();
            if (type.startsWith("org.postgresql")) {
                return "PostgreSQL JDBC driver";
            }
            if (type.startsWith("sun.security.rsa") || type.startsWith("java.math.BigInteger") || type.startsWith("com.nimbusds")) {
                return "RS256 verification";
            }
            if (type.startsWith("tools.jackson") || type.startsWith("com.fasterxml")) {
                return "JSON (Jackson)";
            }
            if (type.startsWith("org.apache.tomcat") || type.startsWith("org.apache.coyote") || type.startsWith("org.apache.catalina")) {
                return "HTTP (Tomcat)";
            }
            if (type.startsWith("com.zaxxer.hikari")) {
                return "connection pool";
            }
            if (type.startsWith("org.springframework")) {
                return "Spring MVC / JDBC";
            }
            if (type.startsWith("io.micrometer")) {
                return "metrics";
            }
            if (type.startsWith("org.openfinq")) {
                return "openfinq code";
            }
            if (type.startsWith("sun.security.provider") || type.startsWith("java.security.MessageDigest")) {
                return "SHA-256 digest";
            }
        }
        return frames.isEmpty() ? "other" : "JDK: " + frames.getFirst().getMethod().getType().getName();
    }
}
