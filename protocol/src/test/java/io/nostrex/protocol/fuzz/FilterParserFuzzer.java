package io.nostrex.protocol.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import io.nostrex.protocol.Filter;
import io.nostrex.protocol.FilterJson;
import io.nostrex.protocol.FilterParser;
import io.nostrex.protocol.Json;
import java.nio.charset.StandardCharsets;

/**
 * The filter parser, on any JSON value: a filter or a typed error; a filter written by the relay
 * (as it puts filters on {@code nostr.subscriptions}) parses back to itself.
 */
public final class FilterParserFuzzer {
    private FilterParserFuzzer() {}

    public static void fuzzerTestOneInput(byte[] data) {
        JsonNode node;
        try {
            node = Json.read(new String(data, StandardCharsets.UTF_8));
        } catch (Json.MalformedJsonException notJson) {
            return;
        }
        Filter f;
        try {
            f = FilterParser.parse(node);
        } catch (FilterParser.InvalidFilterException typed) {
            FuzzFinding.check(typed.getMessage() != null && !typed.getMessage().isBlank(), "blank InvalidFilterException");
            return;
        }
        FuzzFinding.check(f != null, "null filter");
        String written = FilterJson.write(f);
        try {
            FuzzFinding.check(FilterParser.parse(Json.read(written)).equals(f), "write-parse changed the filter: " + written);
        } catch (Json.MalformedJsonException | FilterParser.InvalidFilterException e) {
            throw new FuzzFinding("the relay's own JSON of a parsed filter does not parse: " + written, e);
        }
    }
}
