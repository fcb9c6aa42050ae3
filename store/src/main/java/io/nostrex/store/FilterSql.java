package io.nostrex.store;

import io.nostrex.protocol.Filter;
import io.nostrex.protocol.Hex;
import io.nostrex.protocol.auth.ReadAccess;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds the SQL for NIP-01 filters, values always as bound parameters. Each filter becomes one
 * {@code SELECT} with its own limit; filters are joined by {@code UNION ALL} and the whole is
 * ordered newest first, lowest id first on ties. Expired events are never selected. A filter that
 * cannot match anything yields no SQL at all.
 *
 * <p>A filter is read by a <em>walk</em>: for each value of its driving field (authors, authors
 * with kinds, the tag letter with the fewest values, that tag with kinds, kinds; else the time
 * order), one scan of the composite index that holds exactly that value's events in the order
 * REQ wants them, stopping after {@code limit} rows; the walks are merged and cut to the limit.
 * Every other condition is checked on the rows the walk meets. A walk through {@code event_tags}
 * looks each row's event up by its primary key in a {@code LATERAL} subquery with {@code LIMIT 1}:
 * PostgreSQL must run that as a nested loop, one index probe per row walked, so no value can make
 * it join whole tables instead. Each walk orders by the leading columns of its index (the driving
 * value first), which only that index can give without a sort, so the plan does not hang on how
 * common the planner guesses a value to be: a plan made once for any value is as good as one made
 * for the value, and walks run on the pool that keeps one plan (see {@link Database}). Searches,
 * the live catch-up by stored time and counts are planned for their values.
 */
final class FilterSql {
    static final String ORDER = "ORDER BY created_at DESC, id";

    /**
     * SQL text and its parameters, in order. {@code reusablePlan}: every part is a walk (no search,
     * no catch-up), safe with one plan made without the values.
     */
    record Query(String sql, List<Object> params, boolean reusablePlan) {}

    /** What a filter's walk is driven by, in order of preference; TIME: no driving field. */
    enum Driver { IDS, AUTHORS, AUTHORS_KINDS, TAG, TAG_KINDS, KINDS, TIME }

    /** The driving field of a filter; {@code letter} for the tag walks. */
    record Walk(Driver driver, Character letter) {
        boolean drives(String column) {
            return switch (column) {
                case "pubkey" -> driver == Driver.AUTHORS || driver == Driver.AUTHORS_KINDS;
                case "kind" -> driver == Driver.AUTHORS_KINDS || driver == Driver.TAG_KINDS || driver == Driver.KINDS;
                default -> column.length() == 2 && column.charAt(0) == '#' && letter != null && letter == column.charAt(1);
            };
        }
    }

    private FilterSql() {}

    /** Rows (id, json) of the events matching any filter; null when no filter can match anything. */
    static Query select(List<Filter> filters, int maxLimit, long now) {
        return select(filters, maxLimit, now, null, null);
    }

    /** As {@link #select(List, int, long)}, the private events {@code access} may not read left out (null: none). */
    static Query select(List<Filter> filters, int maxLimit, long now, ReadAccess access) {
        return select(filters, maxLimit, now, null, access);
    }

    /**
     * As {@link #select(List, int, long)}; with {@code storedSinceMillis}, only events stored at or
     * after that time, each filter's own limit ignored (live catch-up, where limit does not apply).
     */
    static Query select(List<Filter> filters, int maxLimit, long now, Long storedSinceMillis, ReadAccess access) {
        List<String> parts = new ArrayList<>();
        List<Object> params = new ArrayList<>();
        Set<Integer> ranked = new java.util.HashSet<>();
        boolean reusablePlan = storedSinceMillis == null;
        for (Filter filter : filters) {
            int limit = filter.limit() == null || storedSinceMillis != null ? maxLimit : Math.min(filter.limit(), maxLimit);
            // catch-up reads the few rows stored since a moment through the stored_at index
            Walk walk = storedSinceMillis != null ? new Walk(Driver.TIME, null) : walk(filter);
            Where where = limit <= 0 ? null : where(filter, now, walk);
            if (where == null) {
                continue;
            }
            restrict(where, filter, access);
            if (storedSinceMillis != null) {
                where.add("stored_at >= to_timestamp(?::double precision / 1000)", storedSinceMillis);
            }
            reusablePlan &= filter.search() == null;
            Where everyCondition = storedSinceMillis == null && isSearch(filter) ? where(filter, now) : null;
            if (everyCondition != null) {
                parts.add(rankedSearch(filter, everyCondition, access, limit, params));
                ranked.add(parts.size() - 1);
            } else {
                parts.add(part(filter, walk, where, limit, params));
            }
        }
        if (parts.isEmpty()) {
            return null;
        }
        if (ranked.isEmpty()) {
            return new Query("SELECT id, json FROM (" + String.join(" UNION ALL ", parts) + ") AS matched " + ORDER,
                    params, reusablePlan);
        }
        // NIP-50: the most relevant first; the events of filters without a search after them, newest first
        for (int i = 0; i < parts.size(); i++) {
            if (!ranked.contains(i)) {
                parts.set(i, "(SELECT id, created_at, json, 0::real AS rank FROM " + parts.get(i) + " AS p)");
            }
        }
        return new Query("SELECT id, json FROM (" + String.join(" UNION ALL ", parts) + ") AS matched"
                + " ORDER BY rank DESC, created_at DESC, id", params, false);
    }

    /** How many of the newest matches of a search are ranked by relevance: the cost of a search stays bounded. */
    static final int RANKED_MATCHES = 10_000;

    private static boolean isSearch(Filter f) {
        return f.search() != null && !SearchText.query(f.search()).isEmpty();
    }

    /**
     * NIP-50: a search filter's events by relevance ({@code ts_rank} of its words), ties newest
     * first, among its newest {@value #RANKED_MATCHES} matches; the limit applies after ranking.
     */
    private static String rankedSearch(Filter f, Where where, ReadAccess access, int limit, List<Object> params) {
        restrict(where, f, access);
        params.add(SearchText.query(f.search()));
        params.addAll(where.params);
        params.add(limit);
        return "(SELECT id, created_at, json, ts_rank(search, plainto_tsquery('simple', ?)) AS rank FROM"
                + " (SELECT id, created_at, json, search FROM events WHERE " + where.sql() + " " + ORDER
                + " LIMIT " + RANKED_MATCHES + ") AS newest ORDER BY rank DESC, created_at DESC, id LIMIT ?)";
    }

    /** The SQL of one filter's walk, its parameters appended to {@code params}. */
    private static String part(Filter f, Walk walk, Where where, int limit, List<Object> params) {
        return switch (walk.driver()) {
            case IDS, TIME -> {
                params.addAll(where.params);
                params.add(limit);
                yield "(SELECT id, created_at, json FROM events WHERE " + where.sql() + " " + ORDER + " LIMIT ?)";
            }
            case AUTHORS, AUTHORS_KINDS, KINDS -> eventsWalk(f, walk.driver(), where, limit, params);
            case TAG, TAG_KINDS -> tagWalk(f, walk, where, limit, params);
        };
    }

    /**
     * Walks of at most this many values (value-and-kind pairs) run as one ordered merge of their
     * index scans, which reads only as many rows as the limit needs; more run one value at a time,
     * each up to the limit, so that a statement stays small.
     */
    static final int MAX_MERGED = 16;

    /**
     * One scan of {@code (pubkey, created_at DESC, id)}, {@code (pubkey, kind, created_at DESC, id)}
     * or {@code (kind, created_at DESC, id)} per value (per author and kind), merged.
     */
    private static String eventsWalk(Filter f, Driver driver, Where where, int limit, List<Object> params) {
        List<byte[]> authors = driver == Driver.KINDS ? null
                : f.authors().stream().filter(a -> Hex.isLowerHex(a, 64)).sorted().map(Hex::decode).toList();
        Integer[] kinds = driver == Driver.AUTHORS ? null : kindValues(f);
        int branches = (authors == null ? 1 : authors.size()) * (kinds == null ? 1 : kinds.length);
        return branches <= MAX_MERGED ? mergedEventsWalk(authors, kinds, where, limit, params)
                : eventsWalkByValue(authors, kinds, where, limit, params);
    }

    /**
     * One branch per author (and kind), their ordered index scans merged up to the limit. With
     * authors, each kind is written into the statement as its number, not bound: the kind index's
     * statistics say every kind is rare (V8), so in a plan made once for any author and kind the
     * kind-led index looked as good as {@code (pubkey, kind, created_at DESC, id)}, and on one
     * partition of a store of a million events PostgreSQL took it for a common kind and read 446,000
     * rows to find one author's. Given the number, it reads the kind's real frequency.
     */
    private static String mergedEventsWalk(List<byte[]> authors, Integer[] kinds, Where where, int limit,
                                           List<Object> params) {
        boolean bindKinds = authors == null; // the kinds walk alone binds them, planned as rare
        List<String> branches = new ArrayList<>();
        for (Object author : authors == null ? List.of((Object) "any") : List.<Object>copyOf(authors)) {
            for (Integer kind : kinds == null ? new Integer[] {null} : kinds) {
                String kindSql = kind == null ? "" : bindKinds ? "kind = ? AND " : kindAsNumber(kind);
                // each branch in order: PostgreSQL merges ordered branches (a Merge Append) only when told
                branches.add("(SELECT id, created_at, json FROM events WHERE " + (authors == null ? "" : "pubkey = ? AND ")
                        + kindSql + where.sql() + " " + ORDER + ")");
                if (authors != null) {
                    params.add(author);
                }
                if (kind != null && bindKinds) {
                    params.add(kind);
                }
                params.addAll(where.params);
            }
        }
        params.add(limit);
        return "(SELECT id, created_at, json FROM (" + String.join(" UNION ALL ", branches) + ") AS u " + ORDER
                + " LIMIT ?)";
    }

    /** A kind condition with the kind written as its number, for walks with authors (see {@link #mergedEventsWalk}). */
    private static String kindAsNumber(Integer kind) {
        return "kind = " + kind.intValue() + " AND ";
    }

    /**
     * Per author (and kind) a scan up to the limit, through unnest: for many values. With authors and
     * at most {@value #MAX_MERGED} kinds, each author's walk is one ordered branch per kind, the kind
     * written as its number (as in {@link #mergedEventsWalk}): a kind bound through {@code unnest} is
     * planned as rare, and a follow list with kinds {@code [1,7]} walked the kind index on one
     * partition for every author (155,077 rows per author and kind on a store of a million events).
     */
    private static String eventsWalkByValue(List<byte[]> authors, Integer[] kinds, Where where, int limit,
                                            List<Object> params) {
        if (authors != null && kinds != null && kinds.length <= MAX_MERGED) {
            params.add(authors.toArray(byte[][]::new));
            List<String> branches = new ArrayList<>();
            for (Integer kind : kinds) {
                branches.add("(SELECT id, created_at, json FROM events WHERE pubkey = a.v AND " + kindAsNumber(kind)
                        + where.sql() + " " + ORDER + " LIMIT ?)");
                params.addAll(where.params);
                params.add(limit);
            }
            params.add(limit);
            return "(SELECT e.id, e.created_at, e.json FROM unnest(?) AS a(v) CROSS JOIN LATERAL ("
                    + String.join(" UNION ALL ", branches) + ") AS e " + ORDER + " LIMIT ?)";
        }
        String values = (authors != null ? "unnest(?) AS a(v)" : "") + (authors != null && kinds != null ? " CROSS JOIN " : "")
                + (kinds != null ? "unnest(?) AS k(v)" : "");
        String keys = (authors != null ? "pubkey = a.v AND " : "") + (kinds != null ? "kind = k.v AND " : "");
        String order = "ORDER BY " + (authors != null ? "pubkey, " : "") + (kinds != null ? "kind, " : "") + "created_at DESC, id";
        if (authors != null) {
            params.add(authors.toArray(byte[][]::new));
        }
        if (kinds != null) {
            params.add(kinds);
        }
        params.addAll(where.params);
        params.add(limit);
        params.add(limit);
        return "(SELECT e.id, e.created_at, e.json FROM " + values + " CROSS JOIN LATERAL"
                + " (SELECT id, created_at, json FROM events WHERE " + keys + where.sql() + " " + order + " LIMIT ?) AS e"
                + " " + ORDER + " LIMIT ?)";
    }

    /**
     * Scans of {@code event_tags (tag, event_created_at DESC, event_id)} (with kinds:
     * {@code (tag, kind, event_created_at DESC, event_id)}) per value (per value and kind), each row's
     * event looked up by primary key and checked against the other conditions; merged, each event
     * once (an event may carry several of the values).
     */
    private static String tagWalk(Filter f, Walk walk, Where where, int limit, List<Object> params) {
        String[] values = tagKeys(walk.letter(), f.tags().get(walk.letter()));
        Integer[] kinds = walk.driver() == Driver.TAG_KINDS ? kindValues(f) : null;
        return values.length * (kinds == null ? 1 : kinds.length) <= MAX_MERGED
                ? mergedTagWalk(f, values, kinds, where, limit, params)
                : tagWalkByValue(f, values, kinds, where, limit, params);
    }

    /**
     * One branch per value (and kind), their ordered index-only scans merged, each event looked up in
     * that order (a repeat dropped) until the limit is met.
     */
    private static String mergedTagWalk(Filter f, String[] values, Integer[] kinds, Where where, int limit,
                                        List<Object> params) {
        List<String> branches = new ArrayList<>();
        for (String value : values) {
            for (Integer kind : kinds == null ? new Integer[] {null} : kinds) {
                branches.add("(SELECT t.event_created_at AS c, t.event_id AS i FROM event_tags t WHERE t.tag = ?"
                        + (kind == null ? "" : " AND t.kind = ?") + timeRange(f, "t.event_created_at")
                        + " ORDER BY t.event_created_at DESC, t.event_id)");
                params.add(value);
                if (kind != null) {
                    params.add(kind);
                }
                addTimeRange(f, params);
            }
        }
        params.addAll(where.params);
        params.add(limit);
        return "(SELECT " + (values.length > 1 ? "DISTINCT ON (u.c, u.i) " : "") + "e.id, e.created_at, e.json FROM ("
                + String.join(" UNION ALL ", branches) + ") AS u"
                + " CROSS JOIN LATERAL (SELECT id, created_at, json FROM events WHERE id = u.i AND created_at = u.c"
                + " AND " + where.sql() + " LIMIT 1) AS e ORDER BY u.c DESC, u.i LIMIT ?)";
    }

    /** Per value (and kind) a walk up to the limit, through unnest: for many values. */
    private static String tagWalkByValue(Filter f, String[] values, Integer[] kinds, Where where, int limit,
                                         List<Object> params) {
        params.add(values);
        if (kinds != null) {
            params.add(kinds);
        }
        params.addAll(where.params);
        addTimeRange(f, params);
        params.add(limit);
        params.add(limit);
        String walkSql = "unnest(?) AS d(v)" + (kinds != null ? " CROSS JOIN unnest(?) AS k(v)" : "") + " CROSS JOIN LATERAL"
                + " (SELECT e.id, e.created_at, e.json FROM event_tags t CROSS JOIN LATERAL"
                + " (SELECT id, created_at, json FROM events WHERE id = t.event_id AND created_at = t.event_created_at"
                + " AND " + where.sql() + " LIMIT 1) AS e"
                + " WHERE t.tag = d.v" + (kinds != null ? " AND t.kind = k.v" : "") + timeRange(f, "t.event_created_at")
                + " ORDER BY t.tag, " + (kinds != null ? "t.kind, " : "") + "t.event_created_at DESC, t.event_id LIMIT ?) AS m";
        return "(SELECT DISTINCT ON (m.created_at, m.id) m.id, m.created_at, m.json FROM " + walkSql
                + " ORDER BY m.created_at DESC, m.id LIMIT ?)";
    }

    private static String timeRange(Filter f, String column) {
        return (f.since() == null ? "" : " AND " + column + " >= ?") + (f.until() == null ? "" : " AND " + column + " <= ?");
    }

    private static void addTimeRange(Filter f, List<Object> params) {
        if (f.since() != null) {
            params.add(f.since());
        }
        if (f.until() != null) {
            params.add(f.until());
        }
    }

    /**
     * The number of distinct events matching any filter (limits ignored), each filter read only up
     * to {@code cap + 1} rows: a result above {@code cap} means "more than cap"; null when none can
     * match.
     */
    static Query count(List<Filter> filters, long now, ReadAccess access, int cap) {
        Query matched = matched(filters, now, access, "id, created_at", cap + 1);
        return matched == null ? null
                : new Query("SELECT count(*) FROM (" + matched.sql() + ") AS matched", matched.params(), false);
    }

    /** The planner's estimate of how many events match, for a count above the cap: EXPLAIN it. */
    static Query countEstimate(List<Filter> filters, long now, ReadAccess access) {
        Query matched = matched(filters, now, access, "id, created_at", null);
        return matched == null ? null
                : new Query("EXPLAIN (FORMAT JSON) SELECT 1 FROM (" + matched.sql() + ") AS matched", matched.params(), false);
    }

    /** The pubkeys of the events one filter matches, at most {@code cap + 1} (NIP-45 HLL); null when none can match. */
    static Query pubkeys(Filter filter, long now, ReadAccess access, int cap) {
        return matched(List.of(filter), now, access, "pubkey", cap + 1);
    }

    /**
     * NIP-77: the created_at and id of the distinct events matching any filter (limits ignored), at
     * most {@code cap} rows, in no order; null when none can match.
     */
    static Query timesAndIds(List<Filter> filters, long now, int cap, ReadAccess access) {
        Query matched = matched(filters, now, access, "id, created_at", null);
        if (matched == null) {
            return null;
        }
        List<Object> params = new ArrayList<>(matched.params());
        params.add(cap);
        return new Query("SELECT created_at, id FROM (" + matched.sql() + ") AS matched LIMIT ?", params, false);
    }

    /**
     * {@code SELECT columns} of the events matching any filter, limits ignored, as a UNION (each
     * part read up to {@code partLimit} rows when not null); null when none can match.
     */
    private static Query matched(List<Filter> filters, long now, ReadAccess access, String columns, Integer partLimit) {
        List<String> parts = new ArrayList<>();
        List<Object> params = new ArrayList<>();
        for (Filter filter : filters) {
            Walk walk = walk(filter);
            boolean byTag = walk.driver() == Driver.TAG || walk.driver() == Driver.TAG_KINDS;
            Where where = where(filter, now, byTag ? new Walk(Driver.TAG, walk.letter()) : new Walk(Driver.TIME, null));
            if (where == null) {
                continue;
            }
            restrict(where, filter, access);
            String part;
            if (byTag) {
                // the events with one of the driving tag's values (and kinds), found through event_tags
                boolean kinds = walk.driver() == Driver.TAG_KINDS;
                part = "SELECT " + columns + " FROM events WHERE (id, created_at) IN (SELECT t.event_id, t.event_created_at"
                        + " FROM event_tags t WHERE t.tag = ANY(?)" + (kinds ? " AND t.kind = ANY(?)" : "") + ") AND " + where.sql();
                params.add(tagKeys(walk.letter(), filter.tags().get(walk.letter())));
                if (kinds) {
                    params.add(kindValues(filter));
                }
            } else {
                part = "SELECT " + columns + " FROM events WHERE " + where.sql();
            }
            params.addAll(where.params);
            if (partLimit != null) {
                part = "(" + part + " LIMIT ?)";
                params.add(partLimit);
            }
            parts.add(part);
        }
        return parts.isEmpty() ? null : new Query(String.join(" UNION ", parts), params, false);
    }

    /**
     * What drives a filter's walk: ids are key lookups; else authors (with their kinds), else the
     * tag letter with the fewest values, ties to the lowest letter (with the kinds), else kinds,
     * else the time order.
     */
    static Walk walk(Filter f) {
        if (f.ids() != null || f.matchesNothing()) {
            return new Walk(Driver.IDS, null);
        }
        if (f.authors() != null) {
            return new Walk(f.kinds() != null ? Driver.AUTHORS_KINDS : Driver.AUTHORS, null);
        }
        Character letter = null;
        for (Map.Entry<Character, Set<String>> tag : f.tags().entrySet()) {
            if (letter == null || tag.getValue().size() < f.tags().get(letter).size()
                    || (tag.getValue().size() == f.tags().get(letter).size() && tag.getKey() < letter)) {
                letter = tag.getKey();
            }
        }
        if (letter != null) {
            return new Walk(f.kinds() != null ? Driver.TAG_KINDS : Driver.TAG, letter);
        }
        return new Walk(f.kinds() != null ? Driver.KINDS : Driver.TIME, null);
    }

    private static Integer[] kindValues(Filter f) {
        return f.kinds().stream().sorted().toArray(Integer[]::new);
    }

    /** The conditions of one filter, or null when it cannot match anything. */
    static Where where(Filter f, long now) {
        return where(f, now, new Walk(Driver.TIME, null));
    }

    /** The conditions of one filter without those its walk covers, or null when it cannot match. */
    static Where where(Filter f, long now, Walk walk) {
        if (f.matchesNothing()) {
            return null;
        }
        Where where = new Where();
        where.add("(expires_at IS NULL OR expires_at > ?)", now);
        if ((f.ids() != null && !where.addHex("id", f.ids()))
                || (f.authors() != null && !walk.drives("pubkey") && !where.addHex("pubkey", f.authors()))) {
            return null;
        }
        if (f.authors() != null && walk.drives("pubkey") && f.authors().stream().noneMatch(a -> Hex.isLowerHex(a, 64))) {
            return null;
        }
        if (f.kinds() != null && !walk.drives("kind")) {
            where.add("kind = ANY(?)", (Object) f.kinds().stream().sorted().toArray(Integer[]::new));
        }
        for (Map.Entry<Character, Set<String>> tag : f.tags().entrySet()) {
            if (!walk.drives("#" + tag.getKey())) {
                where.add("tags && ?", (Object) tagKeys(tag.getKey(), tag.getValue()));
            }
        }
        if (f.since() != null) {
            where.add("created_at >= ?", f.since());
        }
        if (f.until() != null) {
            where.add("created_at <= ?", f.until());
        }
        if (isSearch(f)) {
            where.add("search @@ plainto_tsquery('simple', ?)", SearchText.query(f.search()));
        }
        return where;
    }

    /**
     * Leaves out the events of a private kind that {@code access} may not read (null: no
     * restriction): those neither by nor {@code p}-tagging one of its pubkeys. Checked on the rows a
     * walk meets, like every condition the walk does not drive, so the walk and its limit stay.
     */
    static void restrict(Where where, Filter f, ReadAccess access) {
        if (access == null || !access.mayMatchPrivate(f)) {
            return;
        }
        Integer[] kinds = access.privateKinds().stream().sorted().toArray(Integer[]::new);
        List<String> pubkeys = access.pubkeys().stream().filter(p -> Hex.isLowerHex(p, 64)).sorted().toList();
        if (pubkeys.isEmpty()) {
            where.add("kind <> ALL(?)", (Object) kinds);
        } else {
            where.conditions.add("(kind <> ALL(?) OR pubkey = ANY(?) OR tags && ?)");
            where.params.add(kinds);
            where.params.add(Jdbc.ids(pubkeys));
            where.params.add(pubkeys.stream().map(p -> TagIndex.key('p', p)).toArray(String[]::new));
        }
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
