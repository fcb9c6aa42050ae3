package io.nostrex.store;

import static io.nostrex.store.SkewedStore.ABSENT;
import static io.nostrex.store.SkewedStore.CELEBRITY;
import static io.nostrex.store.SkewedStore.PROLIFIC;
import static io.nostrex.store.SkewedStore.T0;
import static io.nostrex.store.SkewedStore.VIRAL;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nostrex.protocol.Filter;
import io.nostrex.protocol.auth.ReadAccess;
import io.nostrex.protocol.FilterParser;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * No value can make a query walk a table: every shape {@link FilterSql} produces, for common, rare
 * and absent values, on a store with skewed values ({@link SkewedStore}), planned as production
 * plans it (once for any values on the reusable-plan pool, else for its values), then run by
 * EXPLAIN ANALYZE. A sequential scan, a hash or merge join, or more rows read than a bounded walk
 * needs, fails.
 */
class QueryPlansIT {
    private static final long NOW = T0 + SkewedStore.EVENTS * 60L + 1;
    private static final int LIMIT = 100;
    /**
     * Rows a bounded walk may read: each row walked and its event (two per row), for up to three
     * values, with room to spare; a walk of a table reads tens of thousands.
     */
    private static final long ROW_BUDGET = 10L * LIMIT;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static Database db;

    @BeforeAll
    static void create() {
        db = SkewedStore.create();
    }

    @AfterAll
    static void close() {
        db.close();
    }

    static Stream<Arguments> shapes() {
        long mid = T0 + SkewedStore.EVENTS * 30L;
        return Stream.of(
                shape("ids, one", "{'ids':['" + SkewedStore.id(1234) + "']}"),
                shape("ids, twenty", "{'ids':[" + ids(20) + "]}"),
                shape("ids, absent", "{'ids':['" + ABSENT + "']}"),
                shape("author, prolific", "{'authors':['" + PROLIFIC + "']}"),
                shape("author, ordinary", "{'authors':['" + SkewedStore.author(3) + "']}"),
                shape("author, absent", "{'authors':['" + ABSENT + "']}"),
                shape("authors, several", "{'authors':['" + PROLIFIC + "','" + SkewedStore.author(3) + "','" + ABSENT + "']}"),
                shape("author+kinds, common kind", "{'authors':['" + PROLIFIC + "'],'kinds':[1]}"),
                shape("author+kinds, rare kind", "{'authors':['" + PROLIFIC + "'],'kinds':[30023]}"),
                shape("author+kinds, absent kind", "{'authors':['" + PROLIFIC + "'],'kinds':[12345]}"),
                shape("author+kinds, rare kind present", "{'authors':['" + SkewedStore.author(1) + "'],'kinds':[30023,1]}"),
                shape("authors, a follow list, +kinds", "{'authors':[" + followList(20) + "],'kinds':[1,7]}"),
                shape("kinds, common", "{'kinds':[1]}"),
                shape("kinds, rare", "{'kinds':[30023]}"),
                shape("kinds, absent", "{'kinds':[12345]}"),
                shape("kinds, several", "{'kinds':[1,7,30023]}"),
                shape("#t, popular", "{'#t':['popular']}"),
                shape("#t, rare", "{'#t':['rare']}"),
                shape("#t, absent", "{'#t':['absent']}"),
                shape("#p, celebrity", "{'#p':['" + CELEBRITY + "']}"),
                shape("#e, viral note", "{'#e':['" + VIRAL + "']}"),
                shape("#t, several with popular", "{'#t':['popular','topic-5','rare']}"),
                shape("#t, several rare and absent", "{'#t':['rare','absent']}"),
                shape("#t+kinds, popular and common", "{'#t':['popular'],'kinds':[1]}"),
                shape("#t+kinds, popular and rare", "{'#t':['popular'],'kinds':[30023]}"),
                shape("#t+kinds, popular and absent", "{'#t':['popular'],'kinds':[12345]}"),
                shape("#t+kinds, rare and common", "{'#t':['rare'],'kinds':[1]}"),
                shape("#t+kinds, several and common", "{'#t':['popular','topic-7'],'kinds':[1,7]}"),
                shape("#p celebrity+kinds", "{'#p':['" + CELEBRITY + "'],'kinds':[7]}"),
                shape("author+#t, prolific and popular", "{'authors':['" + PROLIFIC + "'],'#t':['popular']}"),
                shape("window, an hour", "{'since':" + mid + ",'until':" + (mid + 3600) + "}"),
                shape("window, empty", "{'since':" + (NOW + 10) + "}"),
                shape("window, until old", "{'until':" + (T0 + 600) + "}"),
                shape("kinds+window", "{'kinds':[1],'since':" + mid + ",'until':" + (mid + 3600) + "}"),
                shape("#t popular+window", "{'#t':['popular'],'since':" + mid + ",'until':" + (mid + 3600) + "}"),
                shape("author prolific+until old", "{'authors':['" + PROLIFIC + "'],'until':" + (T0 + 6000) + "}"),
                shape("everything", "{}"));
    }

    /**
     * Every shape as a gateway runs it: for a connection that has not authenticated (direct
     * messages and gift wraps left out) and for one authenticated as a popular pubkey (theirs kept).
     */
    static Stream<Arguments> shapesAsRead() {
        ReadAccess anonymous = ReadAccess.anonymous(ReadAccess.DEFAULT_PRIVATE_KINDS);
        return shapes().flatMap(shape -> Stream.of(
                Arguments.of(shape.get()[0] + ", anonymous", shape.get()[1], anonymous),
                Arguments.of(shape.get()[0] + ", authenticated", shape.get()[1], anonymous.with(CELEBRITY))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shapesAsRead")
    void noValueMakesAQueryWalkATable(String name, Filter filter, ReadAccess access) throws Exception {
        // Given the SQL of one filter with the relay's limit, as read by a connection
        FilterSql.Query q = FilterSql.select(List.of(filter), LIMIT, NOW, access);

        // When it is planned as production plans it, and run
        for (boolean generic : q.reusablePlan() ? List.of(true, false) : List.of(false)) {
            JsonNode plan = explain(q, generic);

            // Then no node walks a table and the walk is bounded
            String where = name + (generic ? ", one plan for any values" : ", planned for its values");
            List<String> nodes = new ArrayList<>();
            long read = walk(plan.at("/0/Plan"), nodes);
            assertThat(nodes).as("%s: plan nodes", where)
                    .noneMatch(n -> n.startsWith("Seq Scan") || n.startsWith("Hash") || n.startsWith("Merge Join"));
            assertThat(read).as("%s: rows read (%s)", where, nodes).isLessThanOrEqualTo(ROW_BUDGET);
            System.out.printf("PLAN %-45s %-9s rows read %,7d  %.1f ms%n", name, generic ? "generic" : "custom", read,
                    plan.at("/0/Execution Time").asDouble());
        }
    }

    /** The plan's node names into {@code nodes}; returns the rows its scans read (matched and filtered out). */
    private static long walk(JsonNode node, List<String> nodes) {
        String type = node.path("Node Type").asText();
        nodes.add(type + (node.has("Relation Name") ? " on " + node.get("Relation Name").asText() : "")
                + (node.has("Index Name") ? " using " + node.get("Index Name").asText() : ""));
        long read = 0;
        if (type.contains("Scan") && !type.equals("Function Scan") && !type.equals("Subquery Scan")) {
            long loops = node.path("Actual Loops").asLong(1);
            read = (node.path("Actual Rows").asLong() + node.path("Rows Removed by Filter").asLong()
                    + node.path("Rows Removed by Index Recheck").asLong()) * loops;
        }
        for (JsonNode child : node.path("Plans")) {
            read += walk(child, nodes);
        }
        return read;
    }

    /**
     * EXPLAIN ANALYZE of the statement on the pool production runs it on (walks: the one that keeps
     * plans, with its session settings), with a plan made once for any values or for these values.
     */
    private static JsonNode explain(FilterSql.Query q, boolean generic) throws SQLException {
        javax.sql.DataSource pool = q.reusablePlan() ? db.reusablePlans() : db.dataSource();
        try (Connection c = pool.getConnection(); Statement st = c.createStatement()) {
            st.execute("SET plan_cache_mode = " + (generic ? "force_generic_plan" : "force_custom_plan"));
            st.execute("DEALLOCATE ALL");
            st.execute("PREPARE q(" + types(q.params()) + ") AS " + numbered(q.sql()));
            // EXECUTE takes no protocol parameters: the test's own values go in as literals
            String args = String.join(",", q.params().stream().map(QueryPlansIT::literal).toList());
            try (ResultSet rs = st.executeQuery("EXPLAIN (ANALYZE, FORMAT JSON) EXECUTE q(" + args + ")")) {
                rs.next();
                return JSON.readTree(rs.getString(1));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException(e);
            } finally {
                st.execute("DEALLOCATE q");
            }
        }
    }

    /** A parameter of the test's own as an SQL literal of the type Jdbc.bind gives it. */
    private static String literal(Object p) {
        if (p instanceof byte[] value) {
            return "'\\x" + io.nostrex.protocol.Hex.encode(value) + "'::bytea";
        }
        if (p instanceof byte[][] values) {
            return "ARRAY[" + String.join(",", java.util.Arrays.stream(values)
                    .map(v -> "'\\x" + io.nostrex.protocol.Hex.encode(v) + "'::bytea").toList()) + "]::bytea[]";
        }
        if (p instanceof String[] values) {
            return "ARRAY[" + String.join(",", java.util.Arrays.stream(values).map(v -> "'" + v.replace("'", "''") + "'").toList())
                    + "]::text[]";
        }
        if (p instanceof Integer[] values) {
            return "ARRAY[" + String.join(",", java.util.Arrays.stream(values).map(String::valueOf).toList()) + "]::int4[]";
        }
        return p instanceof Number ? p.toString() : "'" + p.toString().replace("'", "''") + "'";
    }

    /** The SQL types of the parameters, as Jdbc.bind binds them. */
    private static String types(List<Object> params) {
        return String.join(",", params.stream().map(p -> p instanceof byte[] ? "bytea" : p instanceof byte[][] ? "bytea[]"
                : p instanceof String[] ? "text[]"
                : p instanceof Integer[] ? "int4[]" : p instanceof Long ? "int8" : p instanceof Integer ? "int4" : "text").toList());
    }

    /** {@code ?} placeholders as {@code $1, $2, ...} (the statement has no ? of its own). */
    private static String numbered(String sql) {
        StringBuilder out = new StringBuilder();
        int n = 0;
        for (char ch : sql.toCharArray()) {
            if (ch == '?') {
                out.append('$').append(++n);
            } else {
                out.append(ch);
            }
        }
        return out.toString();
    }

    /** {@code n} authors, the prolific one first, quoted and comma-separated: a follow list. */
    private static String followList(int n) {
        StringBuilder sb = new StringBuilder("'" + PROLIFIC + "'");
        for (int i = 1; i < n; i++) {
            sb.append(",'").append(SkewedStore.author(i * 5L + 1)).append("'");
        }
        return sb.toString();
    }

    private static Arguments shape(String name, String filterJson) {
        try {
            return Arguments.of(name, FilterParser.parse(JSON.readTree(filterJson.replace('\'', '"'))));
        } catch (Exception e) {
            throw new IllegalArgumentException(filterJson, e);
        }
    }

    private static String ids(int n) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ids.add("'" + SkewedStore.id(1000 + i * 7919L % SkewedStore.EVENTS) + "'");
        }
        return String.join(",", ids);
    }
}
