package org.openfinq.server.support;

import org.postgresql.PGConnection;

import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A full dump of a test database: {@code pg_dump} when it is installed, and in every case the text of every
 * table (COPY ... TO STDOUT), which is what a dump's data section holds.
 */
public final class DatabaseDump {

    private DatabaseDump() {
    }

    public static String of(TestDatabase db) throws Exception {
        StringBuilder out = new StringBuilder();
        try (Connection c = db.connect()) {
            List<String> tables = new ArrayList<>();
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("select schemaname || '.' || tablename from pg_tables "
                         + "where schemaname not in ('pg_catalog', 'information_schema')")) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            var copy = c.unwrap(PGConnection.class).getCopyAPI();
            for (String table : tables) {
                StringWriter w = new StringWriter();
                copy.copyOut("copy " + table + " to stdout", w);
                out.append("-- ").append(table).append('\n').append(w);
            }
        }
        out.append(pgDump(db));
        return out.toString();
    }

    private static String pgDump(TestDatabase db) throws Exception {
        String url = db.url().replaceFirst("^jdbc:", "");
        String conn = url.replaceFirst("^postgresql://", "postgresql://" + TestDatabase.user() + "@");
        ProcessBuilder pb;
        try {
            pb = new ProcessBuilder("pg_dump", "--no-owner", conn).redirectErrorStream(true);
            Process p = pb.start();
            byte[] bytes = p.getInputStream().readAllBytes();
            p.waitFor(60, TimeUnit.SECONDS);
            return p.exitValue() == 0 ? new String(bytes, StandardCharsets.UTF_8) : "";
        } catch (java.io.IOException notInstalled) {
            return "";
        }
    }
}
