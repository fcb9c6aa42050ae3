package io.nostrex.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.TreeMap;
import javax.sql.DataSource;

/**
 * How far a replay of a Kafka topic has been stored in this database: the next offset of each
 * partition (table {@code log_positions}). {@link EventStore#store(java.util.List, String, Map)} moves
 * it in the transaction that stores the records, so the positions and the rows never disagree.
 */
public final class LogPositions {
    private static final String UPSERT = "INSERT INTO log_positions (topic, partition, next_offset) VALUES (?, ?, ?)"
            + " ON CONFLICT (topic, partition) DO UPDATE SET next_offset = EXCLUDED.next_offset";

    private LogPositions() {}

    /** The next offset of each partition of {@code topic} that a replay stored records of; empty when none. */
    public static Map<Integer, Long> read(DataSource dataSource, String topic) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT partition, next_offset FROM log_positions WHERE topic = ?")) {
            ps.setString(1, topic);
            Map<Integer, Long> next = new TreeMap<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    next.put(rs.getInt(1), rs.getLong(2));
                }
            }
            return next;
        } catch (SQLException e) {
            throw new StoreException("cannot read the log positions of " + topic, e);
        }
    }

    static void write(Connection c, String topic, Map<Integer, Long> next) throws SQLException {
        Jdbc.batch(c, UPSERT, next.entrySet(), (ps, p) -> {
            ps.setString(1, topic);
            ps.setInt(2, p.getKey());
            ps.setLong(3, p.getValue());
        });
    }
}
