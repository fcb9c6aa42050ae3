package io.nostrex.matcher;

import static io.nostrex.matcher.Fixtures.ALICE;
import static io.nostrex.matcher.Fixtures.BOB;
import static io.nostrex.matcher.Fixtures.CAROL;
import static io.nostrex.matcher.Fixtures.ID1;
import static io.nostrex.matcher.Fixtures.ID2;
import static io.nostrex.matcher.Fixtures.event;
import static io.nostrex.matcher.Fixtures.filter;
import static io.nostrex.matcher.Fixtures.routing;
import static io.nostrex.matcher.Fixtures.sub;
import static org.assertj.core.api.Assertions.assertThat;

import io.nostrex.contract.Delivery.Target;
import io.nostrex.protocol.Event;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class SubscriptionIndexTest {
    private final SubscriptionIndex index = new SubscriptionIndex();

    @ParameterizedTest(name = "{0} is filed under {1}")
    @CsvSource(delimiter = '|', textBlock = """
            {'ids':['$ID1'],'authors':['$ALICE'],'kinds':[1]}  | ids
            {'authors':['$ALICE'],'kinds':[1],'#p':['$BOB']}   | authors
            {'#p':['$BOB'],'#e':['$ID1'],'#t':['x']}           | #e
            {'#p':['$BOB'],'#t':['nostr'],'kinds':[1]}         | #p
            {'#t':['nostr'],'kinds':[1]}                       | #t
            {'kinds':[1,7],'since':100}                        | kinds
            {'since':100,'until':200}                          | any
            {}                                                 | any
            """)
    void filesEachFilterUnderItsMostSelectiveField(String json, String field) {
        assertThat(index.fieldOf(filter(json))).isEqualTo(field);
    }

    static Stream<Arguments> matchingCases() {
        return Stream.of(
                Arguments.of("ids hit", "{'ids':['$ID1']}", event(ID1, ALICE, 1, 100), true),
                Arguments.of("ids miss", "{'ids':['$ID1']}", event(ID2, ALICE, 1, 100), false),
                Arguments.of("ids confirmed by authors", "{'ids':['$ID1'],'authors':['$BOB']}", event(ID1, ALICE, 1, 100), false),
                Arguments.of("authors hit", "{'authors':['$BOB','$ALICE']}", event(ID1, ALICE, 1, 100), true),
                Arguments.of("authors miss", "{'authors':['$BOB']}", event(ID1, ALICE, 1, 100), false),
                Arguments.of("authors confirmed by kinds", "{'authors':['$ALICE'],'kinds':[7]}", event(ID1, ALICE, 1, 100), false),
                Arguments.of("#e hit", "{'#e':['$ID2']}", event(ID1, ALICE, 1, 100, "e:" + ID2), true),
                Arguments.of("#e miss", "{'#e':['$ID2']}", event(ID1, ALICE, 1, 100, "e:" + ID1), false),
                Arguments.of("#p hit on a later tag", "{'#p':['$CAROL']}", event(ID1, ALICE, 1, 100, "p:" + BOB, "p:" + CAROL + ":wss://r"), true),
                Arguments.of("#p is not #e", "{'#p':['$ID2']}", event(ID1, ALICE, 1, 100, "e:" + ID2), false),
                Arguments.of("#t hit", "{'#t':['nostr']}", event(ID1, ALICE, 1, 100, "t:nostr"), true),
                Arguments.of("#t other value", "{'#t':['nostr']}", event(ID1, ALICE, 1, 100, "t:bitcoin"), false),
                Arguments.of("#t vs multi-letter tag", "{'#t':['nostr']}", event(ID1, ALICE, 1, 100, "tt:nostr"), false),
                Arguments.of("#t vs tag without value", "{'#t':['nostr']}", event(ID1, ALICE, 1, 100, "t"), false),
                Arguments.of("#T is not #t", "{'#T':['nostr']}", event(ID1, ALICE, 1, 100, "t:nostr"), false),
                Arguments.of("two tag conditions both met", "{'#t':['a'],'#p':['$BOB']}", event(ID1, ALICE, 1, 100, "t:a", "p:" + BOB), true),
                Arguments.of("two tag conditions, one met", "{'#t':['a'],'#p':['$BOB']}", event(ID1, ALICE, 1, 100, "p:" + BOB), false),
                Arguments.of("kinds hit", "{'kinds':[0,1]}", event(ID1, ALICE, 1, 100), true),
                Arguments.of("kinds miss", "{'kinds':[0,7]}", event(ID1, ALICE, 1, 100), false),
                Arguments.of("kinds above 127", "{'kinds':[30023]}", event(ID1, ALICE, 30023, 100), true),
                Arguments.of("any: empty filter", "{}", event(ID1, ALICE, 1, 100), true),
                Arguments.of("any: since inclusive", "{'since':100}", event(ID1, ALICE, 1, 100), true),
                Arguments.of("any: before since", "{'since':100}", event(ID1, ALICE, 1, 99), false),
                Arguments.of("any: until inclusive", "{'until':100}", event(ID1, ALICE, 1, 100), true),
                Arguments.of("any: after until", "{'until':100}", event(ID1, ALICE, 1, 101), false),
                Arguments.of("ids: empty list matches nothing", "{'ids':[]}", event(ID1, ALICE, 1, 100), false),
                Arguments.of("#t: empty list matches nothing", "{'#t':[]}", event(ID1, ALICE, 1, 100, "t:x"), false),
                Arguments.of("since after until matches nothing", "{'since':200,'until':100}", event(ID1, ALICE, 1, 150), false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("matchingCases")
    void matchesLikeTheFilter(String name, String json, Event event, boolean expected) {
        // Given a single subscription with this filter
        index.put(sub("gw", 1, "s", 1, json));
        // When the event is matched
        Map<String, List<Target>> routing = routing(index, event);
        // Then it is routed to the subscription exactly when the filter matches
        assertThat(routing).isEqualTo(expected ? Map.of("gw", List.of(new Target(1, List.of("s")))) : Map.of());
        assertThat(filter(json).matches(event)).isEqualTo(expected);
    }

    @Test
    void aNewVersionReplacesThePreviousOne() {
        // Given version 1 following Alice, then version 2 of the same subscription following Bob
        index.put(sub("gw", 1, "feed", 1, "{'authors':['$ALICE']}"));
        index.put(sub("gw", 1, "feed", 2, "{'authors':['$BOB']}"));
        // Then only Bob's events match, and one subscription is held, at version 2
        assertThat(routing(index, event(ID1, ALICE, 1, 100))).isEmpty();
        assertThat(routing(index, event(ID1, BOB, 1, 100))).containsOnlyKeys("gw");
        assertThat(index.size()).isEqualTo(1);
        assertThat(index.version("gw/1/feed")).hasValue(2);
    }

    @Test
    void removeEndsOneSubscription() {
        // Given two subscriptions on Alice
        index.put(sub("gw", 1, "a", 1, "{'authors':['$ALICE']}"));
        index.put(sub("gw", 1, "b", 1, "{'authors':['$ALICE']}"));
        // When one is removed (and an unknown key too)
        assertThat(index.remove("gw/1/a")).isTrue();
        assertThat(index.remove("gw/1/unknown")).isFalse();
        // Then the other still matches
        assertThat(routing(index, event(ID1, ALICE, 1, 100))).isEqualTo(Map.of("gw", List.of(new Target(1, List.of("b")))));
        assertThat(index.size()).isEqualTo(1);
        assertThat(index.version("gw/1/a")).isEmpty();
    }

    @Test
    void removeGatewayEndsAllItsSubscriptionsOnly() {
        // Given subscriptions of two gateways
        index.put(sub("gw-a", 1, "x", 1, "{'kinds':[1]}"));
        index.put(sub("gw-a", 2, "y", 1, "{}"));
        index.put(sub("gw-b", 1, "x", 1, "{'kinds':[1]}"));
        // When gateway a is removed
        List<String> removed = index.removeGateway("gw-a");
        // Then its keys are returned and only gateway b still gets events
        assertThat(removed).containsExactlyInAnyOrder("gw-a/1/x", "gw-a/2/y");
        assertThat(routing(index, event(ID1, ALICE, 1, 100))).containsOnlyKeys("gw-b");
        assertThat(index.size()).isEqualTo(1);
        assertThat(index.removeGateway("gw-a")).isEmpty();
    }

    @Test
    void listsEachSubscriptionOnceByGateway() {
        // Given a subscription with two filters that both match, a second one on the same connection,
        // one on another connection and one on another gateway
        index.put(sub("gw-a", 1, "both", 1, "{'authors':['$ALICE']}", "{'kinds':[1]}", "{'#p':['$BOB']}"));
        index.put(sub("gw-a", 1, "other", 1, "{'#p':['$BOB']}"));
        index.put(sub("gw-a", 2, "s", 1, "{}"));
        index.put(sub("gw-b", 9, "s", 1, "{'ids':['$ID1']}"));
        // When an event with the p tag twice is matched
        Map<String, List<Target>> routing = routing(index, event(ID1, ALICE, 1, 100, "p:" + BOB, "p:" + BOB));
        // Then each subscription appears once, by gateway
        assertThat(routing).containsOnlyKeys("gw-a", "gw-b");
        assertThat(Fixtures.pairs(routing.get("gw-a"))).containsExactlyInAnyOrder("1/both", "1/other", "2/s");
        assertThat(Fixtures.normalized(routing)).isEqualTo(Map.of(
                "gw-a", Map.of(1L, java.util.Set.of("both", "other"), 2L, java.util.Set.of("s")),
                "gw-b", Map.of(9L, java.util.Set.of("s"))));
    }

    @ParameterizedTest(name = "{0} grouped and {1} checked subscriptions, values of at most {2} bytes")
    @CsvSource(textBlock = """
            1,    0,  10,     1
            3,    0,  1000,   1
            3,    0,  33,     3
            3,    0,  65,     2
            10,   0,  97,     4
            0,    10, 97,     4
            5,    5,  97,     4
            1000, 0,  262144, 1
            """)
    void targetsAreCutIntoHeaderValuesUnderTheBudget(int grouped, int checked, int budget, int expectedValues) {
        // Given subscriptions whose targets are 31 bytes each ([1000,"0123456789012345678901"]): some that
        // the kind decides (kept joined in a group), some with a time condition (checked one by one)
        SubscriptionIndex small = new SubscriptionIndex(budget);
        for (int i = 0; i < grouped + checked; i++) {
            String filter = i < grouped ? "{'kinds':[1]}" : "{'kinds':[1],'since':1}";
            small.put(sub("gw", 1000 + i, "0123456789012345678901", 1, filter));
        }
        // When an event matches them all
        Map<String, List<byte[]>> values = small.match(event(ID1, ALICE, 1, 100));
        // Then they come in as many header values as expected, each within the budget (or one target
        // alone), together each subscription once
        assertThat(values.get("gw")).hasSize(expectedValues)
                .allSatisfy(v -> assertThat(v.length).isLessThanOrEqualTo(Math.max(budget, 33)));
        assertThat(Fixtures.pairs(routing(small, event(ID1, ALICE, 1, 100)).get("gw")))
                .hasSize(grouped + checked).doesNotHaveDuplicates();
    }

    @Test
    void subscriptionsWithASinceGetEventsFromThatTimeOnWhateverOrderTheyCameIn() {
        // Given kind-1 subscriptions of one gateway with since 300, none, 100, 200, 100 and 400, put in
        // that order, then the one with since 400 replaced by one with since 150, and one removed
        index.put(sub("gw", 1, "s300", 1, "{'kinds':[1],'since':300}"));
        index.put(sub("gw", 1, "none", 1, "{'kinds':[1]}"));
        index.put(sub("gw", 1, "s100", 1, "{'kinds':[1],'since':100}"));
        index.put(sub("gw", 2, "s200", 1, "{'kinds':[1],'since':200}"));
        index.put(sub("gw", 2, "s100", 1, "{'kinds':[1],'since':100}"));
        index.put(sub("gw", 3, "later", 1, "{'kinds':[1],'since':400}"));
        index.put(sub("gw", 3, "later", 2, "{'kinds':[1],'since':150}"));
        index.put(sub("gw", 4, "gone", 1, "{'kinds':[1],'since':150}"));
        index.remove("gw/4/gone");
        // Then an event gets exactly the subscriptions whose since it is not before
        Map<Long, List<String>> expected = Map.of(
                99L, List.of("1/none"),
                100L, List.of("1/none", "1/s100", "2/s100"),
                150L, List.of("1/none", "1/s100", "2/s100", "3/later"),
                250L, List.of("1/none", "1/s100", "2/s100", "3/later", "2/s200"),
                1000L, List.of("1/none", "1/s100", "2/s100", "3/later", "2/s200", "1/s300"));
        expected.forEach((createdAt, pairs) -> assertThat(
                Fixtures.pairs(routing(index, event(ID1, ALICE, 1, createdAt)).get("gw")))
                .as("created at %d", createdAt).containsExactlyInAnyOrderElementsOf(pairs));
    }

    @Test
    void filtersThatMatchNothingAreHeldButNeverMatch() {
        // Given a subscription whose filters all match nothing, and one with a real filter besides
        index.put(sub("gw", 1, "nothing", 1, "{'ids':[]}", "{'since':200,'until':100}", "{'#t':[]}"));
        index.put(sub("gw", 1, "mixed", 1, "{'authors':[]}", "{'kinds':[1]}"));
        // Then both are held, and only the real filter matches
        assertThat(index.size()).isEqualTo(2);
        assertThat(index.version("gw/1/nothing")).hasValue(1);
        assertThat(routing(index, event(ID1, ALICE, 1, 150, "t:x")))
                .isEqualTo(Map.of("gw", List.of(new Target(1, List.of("mixed")))));
        // And removing them leaves nothing behind
        index.remove("gw/1/nothing");
        index.remove("gw/1/mixed");
        assertThat(routing(index, event(ID1, ALICE, 1, 150))).isEmpty();
    }
}
