package io.nostrex.protocol;

import static io.nostrex.protocol.FilterTest.expand;
import static io.nostrex.protocol.FilterTest.filter;
import static io.nostrex.protocol.FilterTest.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nostrex.protocol.FilterParser.InvalidFilterException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Filter validation messages, and the FilterJson round trip. {@code <x>} stands for 64 x's. */
class FilterParserTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            []                                    | filter is not a JSON object
            "kinds"                               | filter is not a JSON object
            null                                  | filter is not a JSON object
            {"ids":"<1>"}                         | ids must be an array
            {"ids":null}                          | ids must be an array
            {"ids":["<A>"]}                       | ids must be 64 lowercase hex characters
            {"ids":["ABCDEF<1>"]}                 | ids must be 64 lowercase hex characters
            {"ids":["g<1>"]}                      | ids must be 64 lowercase hex characters
            {"ids":["abc"]}                       | ids must be 64 lowercase hex characters
            {"ids":["<1>0"]}                      | ids must be 64 lowercase hex characters
            {"ids":[1]}                           | ids must be 64 lowercase hex characters
            {"ids":["<1>","<2>",null]}            | ids must be 64 lowercase hex characters
            {"authors":{}}                        | authors must be an array
            {"authors":["abc"]}                   | authors must be 64 lowercase hex characters
            {"kinds":1}                           | kinds must be an array
            {"kinds":[-1]}                        | kinds must be integers in 0..65535
            {"kinds":[65536]}                     | kinds must be integers in 0..65535
            {"kinds":[4294967297]}                | kinds must be integers in 0..65535
            {"kinds":[1.5]}                       | kinds must be integers in 0..65535
            {"kinds":[1e3]}                       | kinds must be integers in 0..65535
            {"kinds":["1"]}                       | kinds must be integers in 0..65535
            {"#e":["abc"]}                        | #e must be 64 lowercase hex characters
            {"#e":["<E>"]}                        | #e must be 64 lowercase hex characters
            {"#e":"<e>"}                          | #e must be an array
            {"#p":["note1xyz"]}                   | #p must be 64 lowercase hex characters
            {"#t":"nostr"}                        | #t must be an array
            {"#t":[1]}                            | #t must be an array of strings
            {"#t":[null]}                         | #t must be an array of strings
            {"#ab":["x"]}                         | tag filter #ab must be # and a single letter
            {"#1":["x"]}                          | tag filter #1 must be # and a single letter
            {"#":["x"]}                           | tag filter # must be # and a single letter
            {"#-":["x"]}                          | tag filter #- must be # and a single letter
            {"#\\u00e9":["x"]}                    | tag filter #\u00e9 must be # and a single letter
            {"#abcdefghijklmnopqrstuvwxyz":[]}    | tag filter #abcdefghijklmnopqrs... must be # and a single letter
            {"since":-1}                          | since must be a non-negative integer
            {"since":1.5}                         | since must be a non-negative integer
            {"since":"1"}                         | since must be a non-negative integer
            {"since":123456789012345678901234567890} | since must be a non-negative integer
            {"until":-1}                          | until must be a non-negative integer
            {"until":null}                        | until must be a non-negative integer
            {"limit":"10"}                        | limit must be a non-negative integer
            {"limit":-1}                          | limit must be a non-negative integer
            {"search":1}                          | search must be a string
            {"search":["a"]}                      | search must be a string
            """)
    void eachRuleBrokenHasItsOwnMessage(String filterJson, String message) {
        assertThatThrownBy(() -> filter(filterJson))
                .isInstanceOf(InvalidFilterException.class)
                .hasMessage(message);
    }

    @Test
    void everyFieldIsRead() throws Exception {
        // When
        Filter f = filter("""
                {"ids":["<1>","<2>"],"authors":["<a>"],"kinds":[0,65535],"#e":["<e>"],"#t":["nostr","Nostr"],
                 "#T":[],"since":0,"until":1700000000,"limit":500,"search":"best pizza"}""");

        // Then
        assertThat(f).isEqualTo(new Filter(Set.of(hex('1'), hex('2')), Set.of(hex('a')), Set.of(0, 65535),
                Map.of('e', Set.of(hex('e')), 't', Set.of("nostr", "Nostr"), 'T', Set.of()),
                0L, 1700000000L, 500, "best pizza"));
    }

    @Test
    void absentFieldsAreNullAndAbsentTagsEmpty() throws Exception {
        assertThat(filter("{}")).isEqualTo(Filter.any());
        assertThat(filter("{}").ids()).isNull();
        assertThat(filter("{\"ids\":[]}").ids()).isEmpty();
    }

    @Test
    void unknownPlainKeysAreIgnored() throws Exception {
        assertThat(filter("{\"kinds\":[1],\"relay\":\"wss://x\",\"foo\":{\"bar\":[1]},\"e\":[\"x\"],\"limit_\":\"x\"}"))
                .isEqualTo(filter("{\"kinds\":[1]}"));
    }

    @Test
    void hugeLimitIsClampedToIntMax() throws Exception {
        assertThat(filter("{\"limit\":99999999999}").limit()).isEqualTo(Integer.MAX_VALUE);
    }

    @Test
    void nonHexValuesAreFineForOtherTagLetters() throws Exception {
        assertThat(filter("{\"#a\":[\"30023:<a>:slug\"],\"#d\":[\"\"]}").tags())
                .containsEntry('a', Set.of("30023:" + hex('a') + ":slug"))
                .containsEntry('d', Set.of(""));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            {}
            {"ids":[]}
            {"ids":["<2>","<1>"],"authors":["<b>","<a>"]}
            {"kinds":[7,1,0,65535]}
            {"#e":["<e>"],"#p":["<b>"],"#t":["b","a"],"#T":["Upper"],"#d":[""]}
            {"#t":[]}
            {"since":0,"until":0,"limit":0}
            {"since":1700000000,"until":99999999999,"limit":2147483647}
            {"search":"quote \\" backslash \\\\ newline \\n tab \\t nul \\u0000 del \u007f slash / \u00e9 \ud83d\ude00"}
            {"ids":["<1>"],"authors":["<a>"],"kinds":[1],"#e":["<e>"],"since":1,"until":2,"limit":3,"search":"x"}
            """)
    void filterJsonRoundTripsThroughFilterParser(String filterJson) throws Exception {
        // Given
        Filter original = filter(filterJson);

        // When
        String written = FilterJson.write(original);

        // Then
        assertThat(FilterParser.parse(Json.read(written))).isEqualTo(original);
    }

    @Test
    void filterJsonWritesSortedCompactJsonInFieldOrder() throws Exception {
        Filter f = filter("{\"search\":\"s\",\"limit\":5,\"#t\":[\"b\",\"a\"],\"#T\":[\"X\"],\"kinds\":[7,1],\"authors\":[\"<b>\",\"<a>\"]}");

        assertThat(FilterJson.write(f)).isEqualTo(expand(
                "{\"authors\":[\"<a>\",\"<b>\"],\"kinds\":[1,7],\"#T\":[\"X\"],\"#t\":[\"a\",\"b\"],\"limit\":5,\"search\":\"s\"}"));
        assertThat(FilterJson.write(Filter.any())).isEqualTo("{}");
    }

    @Test
    void writeAllWritesAnArrayOfFilters() throws Exception {
        assertThat(FilterJson.writeAll(List.of())).isEqualTo("[]");
        assertThat(FilterJson.writeAll(List.of(filter("{\"kinds\":[1]}"), filter("{\"since\":2}"))))
                .isEqualTo("[{\"kinds\":[1]},{\"since\":2}]");
    }
}
