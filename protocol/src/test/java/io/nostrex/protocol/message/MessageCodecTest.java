package io.nostrex.protocol.message;

import static org.assertj.core.api.Assertions.assertThat;

import io.nostrex.protocol.Event;
import io.nostrex.protocol.EventJson;
import io.nostrex.protocol.Filter;
import io.nostrex.protocol.FilterParser;
import io.nostrex.protocol.Json;
import io.nostrex.protocol.TestCorpus;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every message type in both directions: golden bytes for what we write, and round trips through
 * decode. JSON in the tables is written with single quotes for readability; {@link #q} swaps them.
 * Malformed input is covered by {@link MessageCodecMalformedTest}.
 */
class MessageCodecTest {
    static final String ID = "a".repeat(64);
    static final String PUBKEY = "b".repeat(64);
    static final String SIG = "c".repeat(128);
    /** A well-shaped event (not signed: the codec checks shape only). */
    static final String EVENT = "{'id':'" + ID + "','pubkey':'" + PUBKEY + "','created_at':1,'kind':1,"
            + "'tags':[['t','x']],'content':'hi','sig':'" + SIG + "'}";
    private static final Event SMALL = new Event(ID, PUBKEY, 1, 1, List.of(List.of("t", "x")), "hi", SIG);

    static String q(String json) {
        return json.replace('\'', '"');
    }

    static Filter filter(String json) {
        try {
            return FilterParser.parse(Json.read(q(json)));
        } catch (Exception e) {
            throw new IllegalArgumentException(json, e);
        }
    }

    static Stream<Arguments> relayGolden() {
        return Stream.of(
                Arguments.of(new RelayMessage.EventMessage("s", SMALL), "['EVENT','s'," + EVENT + "]"),
                Arguments.of(new RelayMessage.Ok(ID, true, ""), "['OK','" + ID + "',true,'']"),
                Arguments.of(new RelayMessage.Ok(ID, false, "invalid: bad"), "['OK','" + ID + "',false,'invalid: bad']"),
                Arguments.of(new RelayMessage.Eose("sub 1"), "['EOSE','sub 1']"),
                Arguments.of(new RelayMessage.Closed("s", "error: shutting down"), "['CLOSED','s','error: shutting down']"),
                Arguments.of(new RelayMessage.Notice("say \"hi\""), "['NOTICE','say \\'hi\\'']"),
                Arguments.of(new RelayMessage.Notice("a\nb\\c\u0001"), "['NOTICE','a\\nb\\\\c\\u0001']"),
                Arguments.of(new RelayMessage.AuthChallenge("ch4ll3nge"), "['AUTH','ch4ll3nge']"),
                Arguments.of(new RelayMessage.CountResult("c", 42, null, null), "['COUNT','c',{'count':42}]"),
                Arguments.of(new RelayMessage.CountResult("c", 7, true, "00ff"),
                        "['COUNT','c',{'count':7,'approximate':true,'hll':'00ff'}]"),
                Arguments.of(new RelayMessage.NegMsg("n", "6100"), "['NEG-MSG','n','6100']"),
                Arguments.of(new RelayMessage.NegErr("n", "closed: too many"), "['NEG-ERR','n','closed: too many']"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("relayGolden")
    void relayMessagesAreWrittenExactlyAndReadBack(RelayMessage message, String expected) throws Exception {
        // When
        String json = MessageCodec.encode(message);

        // Then
        assertThat(json).isEqualTo(q(expected));
        assertThat(MessageCodec.decodeRelay(json)).isEqualTo(message);
    }

    static Stream<Arguments> clientGolden() {
        return Stream.of(
                Arguments.of(new ClientMessage.EventMessage(SMALL), "['EVENT'," + EVENT + "]"),
                Arguments.of(new ClientMessage.Req("s", List.of(filter("{'kinds':[1],'limit':10}"))),
                        "['REQ','s',{'kinds':[1],'limit':10}]"),
                Arguments.of(new ClientMessage.Req("s", List.of(filter("{}"), filter("{'#t':['x'],'since':5}"))),
                        "['REQ','s',{},{'#t':['x'],'since':5}]"),
                Arguments.of(new ClientMessage.Close("s"), "['CLOSE','s']"),
                Arguments.of(new ClientMessage.Count("c", List.of(filter("{'authors':['" + PUBKEY + "']}"))),
                        "['COUNT','c',{'authors':['" + PUBKEY + "']}]"),
                Arguments.of(new ClientMessage.Auth(SMALL), "['AUTH'," + EVENT + "]"),
                Arguments.of(new ClientMessage.NegOpen("n", filter("{'kinds':[1]}"), "6100000200"),
                        "['NEG-OPEN','n',{'kinds':[1]},'6100000200']"),
                Arguments.of(new ClientMessage.NegMsg("n", "61AB"), "['NEG-MSG','n','61AB']"),
                Arguments.of(new ClientMessage.NegClose("n"), "['NEG-CLOSE','n']"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("clientGolden")
    void clientMessagesAreWrittenExactlyAndReadBack(ClientMessage message, String expected) throws Exception {
        // When
        String json = MessageCodec.encode(message);

        // Then
        assertThat(json).isEqualTo(q(expected));
        assertThat(MessageCodec.decodeClient(json)).isEqualTo(message);
    }

    static Stream<Arguments> awkwardSubscriptionIds() {
        return Stream.of("x", "with \"quotes\"", "back\\slash", "tab\tnl\n", "\u0000\u001f", "emoji \ud83d\ude00",
                "caf\u00e9 \u4e2d", " ", "a".repeat(1000)).map(Arguments::of);
    }

    @ParameterizedTest
    @MethodSource("awkwardSubscriptionIds")
    void anyNonEmptySubscriptionIdSurvivesEveryTypeThatCarriesOne(String id) throws Exception {
        // Given
        Filter f = filter("{'#e':['" + ID + "'],'search':'a \\'b\\' \\\\ c'}");
        List<ClientMessage> client = List.of(new ClientMessage.Req(id, List.of(f)), new ClientMessage.Close(id),
                new ClientMessage.Count(id, List.of(f, Filter.any())), new ClientMessage.NegOpen(id, f, "61"),
                new ClientMessage.NegMsg(id, "61"), new ClientMessage.NegClose(id));
        List<RelayMessage> relay = List.of(new RelayMessage.EventMessage(id, SMALL), new RelayMessage.Eose(id),
                new RelayMessage.Closed(id, id), new RelayMessage.CountResult(id, 0, false, null),
                new RelayMessage.NegMsg(id, "61"), new RelayMessage.NegErr(id, id), new RelayMessage.Notice(id));

        // When / Then
        for (ClientMessage m : client) {
            assertThat(MessageCodec.decodeClient(MessageCodec.encode(m))).isEqualTo(m);
        }
        for (RelayMessage m : relay) {
            assertThat(MessageCodec.decodeRelay(MessageCodec.encode(m))).isEqualTo(m);
        }
    }

    @Test
    void everyCorpusEventRoundTripsAsEventAuthAndForwardedEvent() throws Exception {
        // Given the real events, as parsed records and as their stored JSON lines
        List<String> lines = TestCorpus.lines();
        List<Event> events = TestCorpus.events();

        for (int i = 0; i < events.size(); i++) {
            Event event = events.get(i);
            // When / Then
            assertThat(MessageCodec.decodeClient(MessageCodec.encode(new ClientMessage.EventMessage(event))))
                    .isEqualTo(new ClientMessage.EventMessage(event));
            assertThat(MessageCodec.decodeClient(MessageCodec.encode(new ClientMessage.Auth(event))))
                    .isEqualTo(new ClientMessage.Auth(event));
            assertThat(MessageCodec.decodeRelay(MessageCodec.encodeEvent("s", lines.get(i))))
                    .isEqualTo(new RelayMessage.EventMessage("s", event));
        }
    }

    @Test
    void encodeEventForwardsTheStoredJsonVerbatim() {
        // Given JSON as stored, with spacing and key order our writer would not produce
        String stored = "{ \"kind\":1, \"id\":\"x\" }";

        // When
        String json = MessageCodec.encodeEvent("sub\"1", stored);

        // Then
        assertThat(json).isEqualTo("[\"EVENT\",\"sub\\\"1\"," + stored + "]");
    }

    @Test
    void thePrefixTheEventsUtf8AndABracketAreTheStringFrameInUtf8ForEveryCorpusEvent() {
        // Given the real events (many with non-ASCII content) and subscription ids needing escapes
        List<String> subIds = List.of("s", "sub\"1", "caf\u00e9 \ud83d\ude80", "back\\slash\ttab");

        for (String line : TestCorpus.lines()) {
            byte[] event = line.getBytes(StandardCharsets.UTF_8);
            for (String subId : subIds) {
                // When the frame is put together from bytes, as the gateway does for live events
                java.io.ByteArrayOutputStream frame = new java.io.ByteArrayOutputStream();
                frame.writeBytes(MessageCodec.eventPrefix(subId));
                frame.writeBytes(event);
                frame.write(']');
                // Then
                assertThat(frame.toByteArray())
                        .isEqualTo(MessageCodec.encodeEvent(subId, line).getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    @Test
    void encodeEventOfStoredJsonEqualsEncodingTheRecordWhenTheJsonIsOurs() {
        // Given
        String stored = EventJson.write(SMALL);

        // When / Then
        assertThat(MessageCodec.encodeEvent("s", stored))
                .isEqualTo(MessageCodec.encode(new RelayMessage.EventMessage("s", SMALL)));
    }

    @Test
    void whitespaceBetweenElementsIsAccepted() throws Exception {
        // Given
        String text = q(" [ 'REQ' ,\n\t's' , { 'kinds' : [ 1 ] } ] ");

        // When / Then
        assertThat(MessageCodec.decodeClient(text))
                .isEqualTo(new ClientMessage.Req("s", List.of(filter("{'kinds':[1]}"))));
    }

    @Test
    void everyMessageNamesTheVerbItIsEncodedWith() {
        // Given one message of every type
        Filter f = Filter.any();
        List<ClientMessage> client = List.of(new ClientMessage.EventMessage(SMALL), new ClientMessage.Req("s", List.of(f)),
                new ClientMessage.Close("s"), new ClientMessage.Count("s", List.of(f)), new ClientMessage.Auth(SMALL),
                new ClientMessage.NegOpen("s", f, "61"), new ClientMessage.NegMsg("s", "61"), new ClientMessage.NegClose("s"));
        List<RelayMessage> relay = List.of(new RelayMessage.EventMessage("s", SMALL), new RelayMessage.Ok(ID, true, ""),
                new RelayMessage.Eose("s"), new RelayMessage.Closed("s", "x"), new RelayMessage.Notice("x"),
                new RelayMessage.AuthChallenge("c"), new RelayMessage.CountResult("s", 1, null, null),
                new RelayMessage.NegMsg("s", "61"), new RelayMessage.NegErr("s", "x"));

        // When / Then: the encoding starts with the verb
        for (ClientMessage m : client) {
            assertThat(MessageCodec.encode(m)).startsWith("[\"" + m.verb() + "\",");
        }
        for (RelayMessage m : relay) {
            assertThat(MessageCodec.encode(m)).startsWith("[\"" + m.verb() + "\",");
        }
    }
}
