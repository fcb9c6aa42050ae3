package io.nostrex.store;

import io.nostrex.protocol.Filter;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * Streams the stored events that match any of some filters, oldest first ({@code created_at}, then
 * {@code id}), as the JSON they are served with: the store's side of {@code nostrex export}. Rows
 * come through a server-side cursor, {@value #FETCH} at a time, so memory stays bounded whatever
 * the size of the store. A filter's {@code limit} does not apply (an export is everything that
 * matches); expired events are left out, as every read leaves them out.
 */
public final class EventExport {
    /** Rows fetched from the cursor at a time. */
    static final int FETCH = 1_000;

    private final DataSource dataSource;

    public EventExport(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** One exported event: its JSON and its {@code created_at}. */
    @FunctionalInterface
    public interface Sink {
        void accept(String json, long createdAt) throws IOException;
    }

    /** The oldest and newest {@code created_at} in the store, for progress; null when it is empty. */
    public record Span(long oldest, long newest) {}

    public Span span() {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT min(created_at), max(created_at) FROM events");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            long oldest = rs.getLong(1);
            return rs.wasNull() ? null : new Span(oldest, rs.getLong(2));
        } catch (SQLException e) {
            throw new StoreException("reading the span of the store failed", e);
        }
    }

    /**
     * Hands every stored event matching any filter (every event when {@code filters} is empty) to
     * {@code sink}, oldest first, and returns how many. {@code now}: seconds, for expiration.
     */
    public long export(List<Filter> filters, long now, Sink sink) throws IOException {
        List<Object> params = new ArrayList<>();
        String where = where(filters, now, params);
        if (where == null) {
            return 0;
        }
        String sql = "SELECT json, created_at FROM events WHERE " + where + " ORDER BY created_at, id";
        try (Connection c = dataSource.getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false); // the PostgreSQL driver uses a cursor only inside a transaction
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setFetchSize(FETCH);
                Jdbc.bind(ps, params);
                long n = 0;
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        sink.accept(rs.getString(1), rs.getLong(2));
                        n++;
                    }
                }
                c.commit();
                return n;
            } finally {
                c.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            throw new StoreException("export failed", e);
        }
    }

    /** The filters ORed, each with all its conditions; null when none can match anything. */
    static String where(List<Filter> filters, long now, List<Object> params) {
        if (filters.isEmpty()) {
            params.add(now);
            return "(expires_at IS NULL OR expires_at > ?)";
        }
        List<String> parts = new ArrayList<>();
        for (Filter f : filters) {
            FilterSql.Where w = FilterSql.where(f, now);
            if (w != null) {
                parts.add("(" + w.sql() + ")");
                params.addAll(w.params());
            }
        }
        return parts.isEmpty() ? null : String.join(" OR ", parts);
    }
}
