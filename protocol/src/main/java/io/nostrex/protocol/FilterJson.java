package io.nostrex.protocol;

import java.util.Collection;
import java.util.List;
import java.util.Map;

/** Writes filters back to compact JSON, e.g. for the subscriptions topic. */
public final class FilterJson {
    private FilterJson() {}

    public static String write(Filter f) {
        StringBuilder sb = new StringBuilder(64);
        append(sb, f);
        return sb.toString();
    }

    public static String writeAll(List<Filter> filters) {
        StringBuilder sb = new StringBuilder(64 * filters.size() + 2).append('[');
        for (int i = 0; i < filters.size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            append(sb, filters.get(i));
        }
        return sb.append(']').toString();
    }

    public static void append(StringBuilder sb, Filter f) {
        int start = sb.length();
        sb.append('{');
        strings(sb, "ids", f.ids());
        strings(sb, "authors", f.authors());
        if (f.kinds() != null) {
            sb.append("\"kinds\":[");
            join(sb, f.kinds().stream().sorted().map(String::valueOf).toList(), false);
            sb.append("],");
        }
        for (Map.Entry<Character, java.util.Set<String>> tag : f.tags().entrySet()) {
            strings(sb, "#" + tag.getKey(), tag.getValue());
        }
        number(sb, "since", f.since());
        number(sb, "until", f.until());
        number(sb, "limit", f.limit());
        if (f.search() != null) {
            sb.append("\"search\":");
            EventJson.string(sb, f.search());
            sb.append(',');
        }
        if (sb.length() > start + 1) {
            sb.setLength(sb.length() - 1);
        }
        sb.append('}');
    }

    private static void strings(StringBuilder sb, String key, Collection<String> values) {
        if (values != null) {
            sb.append('"').append(key).append("\":[");
            join(sb, values.stream().sorted().toList(), true);
            sb.append("],");
        }
    }

    private static void join(StringBuilder sb, List<String> values, boolean quote) {
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            if (quote) {
                EventJson.string(sb, values.get(i));
            } else {
                sb.append(values.get(i));
            }
        }
    }

    private static void number(StringBuilder sb, String key, Number value) {
        if (value != null) {
            sb.append('"').append(key).append("\":").append(value).append(',');
        }
    }
}
