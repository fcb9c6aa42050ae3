package io.nostrex.ops;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/** The checks of one health endpoint, by name; up only when every check is up. */
public record Report(boolean up, Map<String, Status> checks) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public Report {
        checks = Map.copyOf(checks);
    }

    static Report of(Map<String, Status> checks) {
        return new Report(checks.values().stream().allMatch(Status::up), checks);
    }

    /** {@code {"status":"UP","checks":{"name":{"status":"UP","detail":"..."}}}}, names sorted. */
    public String toJson() {
        Map<String, Object> byName = new TreeMap<>();
        checks.forEach((name, s) -> byName.put(name, Map.of("status", word(s.up()), "detail", String.valueOf(s.detail()))));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", word(up));
        body.put("checks", byName);
        try {
            return JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String word(boolean up) {
        return up ? "UP" : "DOWN";
    }
}
