package io.nostrex.matcher;

import static io.nostrex.matcher.Fixtures.ALICE;
import static io.nostrex.matcher.Fixtures.BOB;
import static io.nostrex.matcher.Fixtures.CAROL;
import static io.nostrex.matcher.Fixtures.ID1;
import static io.nostrex.matcher.Fixtures.ID2;
import static io.nostrex.matcher.Fixtures.event;
import static io.nostrex.matcher.Fixtures.filter;
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
        Map<String, List<Target>> routing = index.match(event);
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
        assertThat(index.match(event(ID1, ALICE, 1, 100))).isEmpty();
        assertThat(index.match(event(ID1, BOB, 1, 100))).containsOnlyKeys("gw");
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
        assertThat(index.match(event(ID1, ALICE, 1, 100))).isEqualTo(Map.of("gw", List.of(new Target(1, List.of("b")))));
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
        assertThat(index.match(event(ID1, ALICE, 1, 100))).containsOnlyKeys("gw-b");
        assertThat(index.size()).isEqualTo(1);
        assertThat(index.removeGateway("gw-a")).isEmpty();
    }

    @Test
    void groupsByGatewayAndConnectionAndListsEachSubscriptionOnce() {
        // Given a subscription with two filters that both match, a second one on the same connection,
        // one on another connection and one on another gateway
        index.put(sub("gw-a", 1, "both", 1, "{'authors':['$ALICE']}", "{'kinds':[1]}", "{'#p':['$BOB']}"));
        index.put(sub("gw-a", 1, "other", 1, "{'#p':['$BOB']}"));
        index.put(sub("gw-a", 2, "s", 1, "{}"));
        index.put(sub("gw-b", 9, "s", 1, "{'ids':['$ID1']}"));
        // When an event with the p tag twice is matched
        Map<String, List<Target>> routing = index.match(event(ID1, ALICE, 1, 100, "p:" + BOB, "p:" + BOB));
        // Then each subscription id appears once, grouped by gateway and connection
        assertThat(routing).containsOnlyKeys("gw-a", "gw-b");
        assertThat(routing.get("gw-a")).hasSize(2);
        assertThat(Fixtures.normalized(routing)).isEqualTo(Map.of(
                "gw-a", Map.of(1L, java.util.Set.of("both", "other"), 2L, java.util.Set.of("s")),
                "gw-b", Map.of(9L, java.util.Set.of("s"))));
        routing.values().forEach(targets -> targets.forEach(t ->
                assertThat(t.subscriptionIds()).doesNotHaveDuplicates()));
    }

    @Test
    void filtersThatMatchNothingAreHeldButNeverMatch() {
        // Given a subscription whose filters all match nothing, and one with a real filter besides
        index.put(sub("gw", 1, "nothing", 1, "{'ids':[]}", "{'since':200,'until':100}", "{'#t':[]}"));
        index.put(sub("gw", 1, "mixed", 1, "{'authors':[]}", "{'kinds':[1]}"));
        // Then both are held, and only the real filter matches
        assertThat(index.size()).isEqualTo(2);
        assertThat(index.version("gw/1/nothing")).hasValue(1);
        assertThat(index.match(event(ID1, ALICE, 1, 150, "t:x")))
                .isEqualTo(Map.of("gw", List.of(new Target(1, List.of("mixed")))));
        // And removing them leaves nothing behind
        index.remove("gw/1/nothing");
        index.remove("gw/1/mixed");
        assertThat(index.match(event(ID1, ALICE, 1, 150))).isEmpty();
    }
}
