package org.openfinq.server.db;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;

/** Instants to and from JDBC timestamps, null staying null: what every store binds and reads. */
public final class SqlTimes {

    private SqlTimes() {
    }

    /** The parameter for an instant (null for null). */
    public static Timestamp ts(Instant i) {
        return i == null ? null : Timestamp.from(i);
    }

    /** The instant in a timestamp column (null for SQL null). */
    public static Instant instant(ResultSet rs, String col) throws SQLException {
        return instant(rs.getTimestamp(col));
    }

    /** The instant in the {@code i}-th column (null for SQL null). */
    public static Instant instant(ResultSet rs, int i) throws SQLException {
        return instant(rs.getTimestamp(i));
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
