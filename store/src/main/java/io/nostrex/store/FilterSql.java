package io.nostrex.store;

import io.nostrex.protocol.Filter;
import io.nostrex.protocol.Hex;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds the SQL for NIP-01 filters, values always as bound parameters. Each filter becomes one
 * {@code SELECT} over {@code events} (conditions ANDed, a field's values ORed via {@code = ANY} or
 * the {@code &&} overlap of the GIN-indexed tag keys), with its own limit; filters are joined by
 * {@code UNION ALL} and the whole is ordered newest first, lowest id first on ties. Tag conditions
 * that drive a query are walked through {@code event_tags}; others are checked on the
 * {@code events.tags} array of each candidate row. Expired events
 * are never selected. A filter that cannot match anything yields no SQL at all.
 */
final class FilterSql {
    static final String ORDER = "ORDER BY created_at DESC, id";

    /**
     * SQL text and its parameters, in order. {@code reusablePlan}: every part walks the index of an
     * author (without kinds) or a tag value, or looks up ids, without search, so one plan made
     * without the values uses the same indexes as a plan made for them, and PostgreSQL may plan the
     * statement once. Other queries are planned for their values each time: kinds (without the
     * values, a kind walk goes down the newest-first index and filters, a full walk for a rare kind,
     * and authors with kinds walk the author's whole history for a rare kind such as 0 instead of
     * using the author-and-kind index), no driving field, a search word, a catch-up by stored time,
     * a count.
     */
    record Query(String sql, List<Object> params, boolean reusablePlan) {}

    private FilterSql() {}

    /** Rows (id, json) of the events matching any filter; null when no filter can match anything. */
    static Query select(List<Filter> filters, int maxLimit, long now) {
        return select(filters, maxLimit, now, null);
    }

    /**
     * As {@link #select(List, int, long)}; with {@code storedSinceMillis}, only events stored at or
     * after that time, each filter's own limit ignored (live catch-up, where limit does not apply).
     */
    static Query select(List<Filter> filters, int maxLimit, long now, Long storedSinceMillis) {
        List<String> parts = new ArrayList<>();
        List<Object> params = new ArrayList<>();
        boolean reusablePlan = storedSinceMillis == null;
        for (Filter filter : filters) {
            int limit = filter.limit() == null || storedSinceMillis != null ? maxLimit : Math.min(filter.limit(), maxLimit);
            // catch-up reads the few rows stored since a moment through the stored_at index; a
            // per-value scan would walk an author's or kind's whole history to find nothing
            String driver = limit <= 0 || storedSinceMillis != null ? null : driver(filter);
            Where where = limit <= 0 ? null : where(filter, now, driver);
            if (where == null) {
                continue;
            }
            if (storedSinceMillis != null) {
                where.add("stored_at >= to_timestamp(?::double precision / 1000)", storedSinceMillis);
            }
            // a rare kind, a rare search word or a narrow time range wants another plan than a common one
            reusablePlan &= (("pubkey".equals(driver) && filter.kinds() == null) || (driver != null && driver.startsWith("#"))
                    || (driver == null && filter.ids() != null)) && filter.search() == null;
            if (driver == null) {
                parts.add("(SELECT id, created_at, json FROM events WHERE " + where.sql() + " " + ORDER + " LIMIT ?)");
                params.addAll(where.params);
            } else if (driver.startsWith("#")) {
                // one walk of event_tags per tag value, newest first, each row checked against its
                // event. With several values the ids found are merged, deduplicated and cut to the
                // limit before their json is read; with one there is nothing to merge, so the walk
                // reads the json itself (no DISTINCT, no second probe). A single value still goes
                // through unnest: given the value, the planner may walk the whole created_at index.
                Set<String> values = filter.tags().get(driver.charAt(1));
                boolean oneValue = values.size() == 1;
                String walk = "unnest(?) AS d(v) CROSS JOIN LATERAL (SELECT id, created_at" + (oneValue ? ", json" : "")
                        + " FROM event_tags t JOIN events ON id = t.event_id AND created_at = t.event_created_at"
                        + " WHERE t.tag = d.v"
                        + (filter.since() == null ? "" : " AND t.event_created_at >= ?")
                        + (filter.until() == null ? "" : " AND t.event_created_at <= ?")
                        + " AND " + where.sql() + " ORDER BY t.event_created_at DESC, t.event_id LIMIT ?) AS m";
                parts.add(oneValue ? "(SELECT m.id, m.created_at, m.json FROM " + walk + ")"
                        : "(SELECT x.id, x.created_at, ev.json FROM (SELECT DISTINCT m.id, m.created_at FROM " + walk
                        + " " + ORDER + " LIMIT ?) AS x JOIN events ev ON ev.id = x.id AND ev.created_at = x.created_at)");
                params.add(tagKeys(driver.charAt(1), values));
                if (filter.since() != null) {
                    params.add(filter.since());
                }
                if (filter.until() != null) {
                    params.add(filter.until());
                }
                params.addAll(where.params);
                if (!oneValue) {
                    params.add(limit);
                }
            } else {
                // one index range scan per author (or kind), newest first, then merged: without this
                // the planner may walk the created_at index and filter, which is slow for rare values
                parts.add("(SELECT e.id, e.created_at, e.json FROM unnest(?) AS d(v) CROSS JOIN LATERAL"
                        + " (SELECT id, created_at, json FROM events WHERE " + driver + " = d.v AND " + where.sql()
                        + " " + ORDER + " LIMIT ?) AS e " + ORDER + " LIMIT ?)");
                params.add(driverValues(filter, driver));
                params.addAll(where.params);
                params.add(limit);
            }
            params.add(limit);
        }
        return parts.isEmpty() ? null : new Query(
                "SELECT id, json FROM (" + String.join(" UNION ALL ", parts) + ") AS matched " + ORDER, params, reusablePlan);
    }

    /** The number of distinct events matching any filter (limits ignored); null when none can match. */
    static Query count(List<Filter> filters, long now) {
        List<String> parts = new ArrayList<>();
        List<Object> params = new ArrayList<>();
        for (Filter filter : filters) {
            String driver = driver(filter);
            boolean byTag = driver != null && driver.startsWith("#");
            Where where = where(filter, now, byTag ? driver : null);
            if (where == null) {
                continue;
            }
            if (byTag) {
                // the events with one of the driving tag's values, found through event_tags
                parts.add("SELECT id FROM events WHERE (id, created_at) IN (SELECT t.event_id, t.event_created_at"
                        + " FROM event_tags t WHERE t.tag = ANY(?)) AND " + where.sql());
                params.add(tagKeys(driver.charAt(1), filter.tags().get(driver.charAt(1))));
            } else {
                parts.add("SELECT id FROM events WHERE " + where.sql());
            }
            params.addAll(where.params);
        }
        return parts.isEmpty() ? null
                : new Query("SELECT count(*) FROM (" + String.join(" UNION ", parts) + ") AS matched", params, false);
    }

    /**
     * What drives a per-value index scan: {@code pubkey} for author filters, else {@code #x} for a
     * filter with tags (the letter with the fewest values, walked through {@code event_tags}), else
     * {@code kind}; null when a plain scan is right (ids are key lookups, no field walks by time).
     */
    static String driver(Filter f) {
        if (f.ids() != null || f.matchesNothing()) {
            return null;
        }
        if (f.authors() != null) {
            return "pubkey";
        }
        Character letter = null;
        for (Map.Entry<Character, Set<String>> tag : f.tags().entrySet()) {
            if (letter == null || tag.getValue().size() < f.tags().get(letter).size()
                    || (tag.getValue().size() == f.tags().get(letter).size() && tag.getKey() < letter)) {
                letter = tag.getKey();
            }
        }
        if (letter != null) {
            return "#" + letter;
        }
        return f.kinds() != null ? "kind" : null;
    }

    private static Object driverValues(Filter f, String driver) {
        return driver.equals("pubkey") ? Jdbc.ids(f.authors().stream().filter(a -> Hex.isLowerHex(a, 64)).sorted().toList())
                : f.kinds().stream().sorted().toArray(Integer[]::new);
    }

    /** The conditions of one filter, or null when it cannot match anything. */
    static Where where(Filter f, long now) {
        return where(f, now, null);
    }

    /** The conditions of one filter without those on the driving column, or null when it cannot match. */
    static Where where(Filter f, long now, String driver) {
        if (f.matchesNothing()) {
            return null;
        }
        Where where = new Where();
        where.add("(expires_at IS NULL OR expires_at > ?)", now);
        if ((f.ids() != null && !where.addHex("id", f.ids()))
                || (f.authors() != null && !"pubkey".equals(driver) && !where.addHex("pubkey", f.authors()))) {
            return null;
        }
        if (f.authors() != null && "pubkey".equals(driver) && f.authors().stream().noneMatch(a -> Hex.isLowerHex(a, 64))) {
            return null;
        }
        if (f.kinds() != null && !"kind".equals(driver)) {
            where.add("kind = ANY(?)", (Object) f.kinds().stream().sorted().toArray(Integer[]::new));
        }
        for (Map.Entry<Character, Set<String>> tag : f.tags().entrySet()) {
            if (!("#" + tag.getKey()).equals(driver)) {
                where.add("tags && ?", (Object) tagKeys(tag.getKey(), tag.getValue()));
            }
        }
        if (f.since() != null) {
            where.add("created_at >= ?", f.since());
        }
        if (f.until() != null) {
            where.add("created_at <= ?", f.until());
        }
        if (f.search() != null && !SearchText.query(f.search()).isEmpty()) {
            where.add("search @@ plainto_tsquery('simple', ?)", SearchText.query(f.search()));
        }
        return where;
    }

    private static String[] tagKeys(char letter, Set<String> values) {
        return values.stream().sorted().map(v -> TagIndex.key(letter, v)).toArray(String[]::new);
    }

    /** Conditions ANDed, with their parameters. */
    static final class Where {
        private final List<String> conditions = new ArrayList<>();
        private final List<Object> params = new ArrayList<>();

        void add(String condition, Object param) {
            conditions.add(condition);
            params.add(param);
        }

        /** Adds {@code column = ANY(ids)}; false when no value is a valid id, so nothing can match. */
        boolean addHex(String column, Set<String> hexValues) {
            List<String> valid = hexValues.stream().filter(v -> Hex.isLowerHex(v, 64)).sorted().toList();
            if (valid.isEmpty()) {
                return false;
            }
            add(column + " = ANY(?)", Jdbc.ids(valid));
            return true;
        }

        String sql() {
            return String.join(" AND ", conditions);
        }

        List<Object> params() {
            return List.copyOf(params);
        }
    }
}
