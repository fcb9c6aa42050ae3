package io.nostrex.protocol;

import java.util.List;

/**
 * Writes an event as the compact JSON object a relay serves. Strings use the NIP-01 escapes and
 * {@code \}{@code u00XX} for the other control characters (so the output is valid JSON); everything
 * else is verbatim, so a client that re-serialises it computes the same id.
 */
public final class EventJson {
    private EventJson() {}

    public static String write(Event e) {
        StringBuilder sb = new StringBuilder(200 + e.content().length());
        append(sb, e);
        return sb.toString();
    }

    public static void append(StringBuilder sb, Event e) {
        sb.append("{\"id\":\"").append(e.id())
                .append("\",\"pubkey\":\"").append(e.pubkey())
                .append("\",\"created_at\":").append(e.createdAt())
                .append(",\"kind\":").append(e.kind())
                .append(",\"tags\":[");
        List<List<String>> tags = e.tags();
        for (int t = 0; t < tags.size(); t++) {
            if (t > 0) {
                sb.append(',');
            }
            sb.append('[');
            List<String> tag = tags.get(t);
            for (int i = 0; i < tag.size(); i++) {
                if (i > 0) {
                    sb.append(',');
                }
                string(sb, tag.get(i));
            }
            sb.append(']');
        }
        sb.append("],\"content\":");
        string(sb, e.content());
        sb.append(",\"sig\":\"").append(e.sig()).append("\"}");
    }

    /** Appends s as a JSON string literal with NIP-01 escaping. */
    public static void string(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\n' -> sb.append("\\n");
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }
}
