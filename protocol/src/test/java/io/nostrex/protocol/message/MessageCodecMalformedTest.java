package io.nostrex.protocol.message;

import static io.nostrex.protocol.message.MessageCodecTest.EVENT;
import static io.nostrex.protocol.message.MessageCodecTest.ID;
import static io.nostrex.protocol.message.MessageCodecTest.q;
import static io.nostrex.protocol.message.MessageException.Kind.INVALID_EVENT;
import static io.nostrex.protocol.message.MessageException.Kind.INVALID_FILTER;
import static io.nostrex.protocol.message.MessageException.Kind.INVALID_HEX;
import static io.nostrex.protocol.message.MessageException.Kind.INVALID_SUBSCRIPTION_ID;
import static io.nostrex.protocol.message.MessageException.Kind.MALFORMED_JSON;
import static io.nostrex.protocol.message.MessageException.Kind.NOT_AN_ARRAY;
import static io.nostrex.protocol.message.MessageException.Kind.UNKNOWN_TYPE;
import static io.nostrex.protocol.message.MessageException.Kind.WRONG_ARITY;
import static io.nostrex.protocol.message.MessageException.Kind.WRONG_TYPE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.nostrex.protocol.message.MessageException.Kind;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every class of malformed message, with the kind, the ids a gateway needs to pick its reply, and the
 * reply text (a prefix of it for Jackson's own wording). JSON is written with single quotes.
 */
class MessageCodecMalformedTest {

    /** One row: input, then what the exception must carry; null ids mean "not readable". */
    record Bad(String text, Kind kind, String subscriptionId, String eventId, String messagePrefix) {
        @Override
        public String toString() {
            String shown = text == null ? "null" : text.length() > 70 ? text.substring(0, 70) + "..." : text;
            return kind + " " + shown;
        }
    }

    private static Bad bad(String json, Kind kind, String subscriptionId, String message) {
        return new Bad(q(json), kind, subscriptionId, null, message);
    }

    private static Bad badEvent(String json, Kind kind, String eventId, String message) {
        return new Bad(q(json), kind, null, eventId, message);
    }

    private static String event(String from, String to) {
        return EVENT.replace(from, to);
    }

    static Stream<Bad> clientCases() {
        return Stream.of(
                new Bad(null, MALFORMED_JSON, null, null, "invalid: malformed JSON: "),
                bad("", MALFORMED_JSON, null, "invalid: malformed JSON: "),
                bad("  \n ", MALFORMED_JSON, null, "invalid: malformed JSON: "),
                bad("['REQ','s',{}", MALFORMED_JSON, null, "invalid: malformed JSON: "),
                bad("['CLOSE','s'] ['CLOSE','t']", MALFORMED_JSON, null, "invalid: malformed JSON: "),
                bad("['REQ','s',{'kinds':[1],'kinds':[2]}]", MALFORMED_JSON, null, "invalid: malformed JSON: "),
                bad("['REQ','s',{'limit':NaN}]", MALFORMED_JSON, null, "invalid: malformed JSON: "),
                bad("['REQ','s',{'kinds':[" + "9".repeat(300) + "]}]", MALFORMED_JSON, null, "invalid: malformed JSON: "),
                bad("[".repeat(100_000), MALFORMED_JSON, null, "invalid: malformed JSON: "),
                bad("[".repeat(100_000) + "]".repeat(100_000), MALFORMED_JSON, null, "invalid: malformed JSON: "),
                bad("{'a':".repeat(50_000), MALFORMED_JSON, null, "invalid: malformed JSON: "),
                bad("'REQ'", NOT_AN_ARRAY, null, "invalid: message is not a JSON array"),
                bad("{'REQ':'s'}", NOT_AN_ARRAY, null, "invalid: message is not a JSON array"),
                bad("null", NOT_AN_ARRAY, null, "invalid: message is not a JSON array"),
                bad("[]", WRONG_ARITY, null, "invalid: message is an empty array"),
                bad("[1,'s']", WRONG_TYPE, null, "invalid: message type is not a string"),
                bad("['FOO','s']", UNKNOWN_TYPE, null, "invalid: unknown message type FOO"),
                bad("['req','s',{}]", UNKNOWN_TYPE, null, "invalid: unknown message type req"),
                bad("['EOSE','s']", UNKNOWN_TYPE, null, "invalid: unknown message type EOSE"),
                bad("['\\u0000" + "x".repeat(100) + "']", UNKNOWN_TYPE, null, "invalid: unknown message type"),
                bad("['REQ']", WRONG_ARITY, null, "invalid: REQ is missing its subscription id"),
                bad("['REQ','s']", WRONG_ARITY, "s", "invalid: REQ needs at least one filter"),
                bad("['REQ',5,{}]", WRONG_TYPE, null, "invalid: REQ subscription id is not a string"),
                bad("['REQ',null,{}]", WRONG_TYPE, null, "invalid: REQ subscription id is not a string"),
                bad("['REQ','',{}]", INVALID_SUBSCRIPTION_ID, null, "invalid: REQ subscription id is empty"),
                bad("['REQ','\\ud800',{}]", INVALID_SUBSCRIPTION_ID, null, "invalid: REQ subscription id is not valid UTF-8"),
                bad("['REQ','s',{},{'kinds':['1']}]", INVALID_FILTER, "s", "invalid: REQ filter 2: kinds must be integers in 0..65535"),
                bad("['REQ','s',{'kinds':[65536]}]", INVALID_FILTER, "s", "invalid: REQ filter 1: kinds must be integers in 0..65535"),
                bad("['REQ','s',{'kinds':[" + "9".repeat(60) + "]}]", INVALID_FILTER, "s", "invalid: REQ filter 1: kinds must be"),
                bad("['REQ','s',{'since':1e999999}]", INVALID_FILTER, "s", "invalid: REQ filter 1: since must be a non-negative integer"),
                bad("['REQ','s',{'#ab':[]}]", INVALID_FILTER, "s", "invalid: REQ filter 1: tag filter #ab must be # and a single letter"),
                bad("['REQ','s',[]]", INVALID_FILTER, "s", "invalid: REQ filter 1: filter is not a JSON object"),
                bad("['REQ','s',{},'x']", INVALID_FILTER, "s", "invalid: REQ filter 2: filter is not a JSON object"),
                bad("['COUNT','c']", WRONG_ARITY, "c", "invalid: COUNT needs at least one filter"),
                bad("['COUNT','c',{'ids':['ABC']}]", INVALID_FILTER, "c", "invalid: COUNT filter 1: ids must be 64 lowercase hex"),
                bad("['CLOSE']", WRONG_ARITY, null, "invalid: CLOSE is missing its subscription id"),
                bad("['CLOSE','s','x']", WRONG_ARITY, "s", "invalid: CLOSE has 3 elements, expected 2"),
                bad("['CLOSE',['s']]", WRONG_TYPE, null, "invalid: CLOSE subscription id is not a string"),
                bad("['EVENT']", WRONG_ARITY, null, "invalid: EVENT is missing its event"),
                bad("['EVENT','s'," + EVENT + "]", WRONG_TYPE, null, "invalid: EVENT event is not a JSON object"),
                badEvent("['EVENT'," + EVENT + ",{}]", WRONG_ARITY, ID, "invalid: EVENT has 3 elements, expected 2"),
                badEvent("['EVENT'," + event("'kind':1", "'kind':-1") + "]", INVALID_EVENT, ID, "invalid: kind is outside 0..65535"),
                badEvent("['EVENT'," + event("'kind':1", "'kind':1e999999") + "]", INVALID_EVENT, ID, "invalid: kind is not an integer"),
                badEvent("['EVENT'," + event("'content':'hi'", "'content':'\\udc00'") + "]", INVALID_EVENT, ID,
                        "invalid: content contains an unpaired surrogate (invalid UTF-8)"),
                badEvent("['EVENT'," + event("'sig':'c", "'sig':'C") + "]", INVALID_EVENT, ID,
                        "invalid: sig is not 128 lowercase hex characters"),
                badEvent("['EVENT'," + event("'id':'a", "'id':'A") + "]", INVALID_EVENT, null,
                        "invalid: id is not 64 lowercase hex characters"),
                badEvent("['EVENT'," + event("'id':'" + ID + "',", "") + "]", INVALID_EVENT, null, "invalid: missing id"),
                bad("['AUTH','challenge']", WRONG_TYPE, null, "invalid: AUTH event is not a JSON object"),
                badEvent("['AUTH'," + event("'tags':[['t','x']]", "'tags':[['t',1]]") + "]", INVALID_EVENT, ID,
                        "invalid: tag 0 has an element that is not a string"),
                bad("['NEG-OPEN','n',{}]", WRONG_ARITY, "n", "invalid: NEG-OPEN is missing its initial message"),
                bad("['NEG-OPEN','n',{},'61',0]", WRONG_ARITY, "n", "invalid: NEG-OPEN has 5 elements, expected 4"),
                bad("['NEG-OPEN','n',{'kinds':'1'},'61']", INVALID_FILTER, "n", "invalid: NEG-OPEN filter: kinds must be an array"),
                bad("['NEG-OPEN','n',{},'6']", INVALID_HEX, "n", "invalid: NEG-OPEN initial message is not non-empty, even-length hex"),
                bad("['NEG-OPEN','n',{},'']", INVALID_HEX, "n", "invalid: NEG-OPEN initial message is not"),
                bad("['NEG-OPEN','n',{},'zz']", INVALID_HEX, "n", "invalid: NEG-OPEN initial message is not"),
                bad("['NEG-MSG','n']", WRONG_ARITY, "n", "invalid: NEG-MSG is missing its message"),
                bad("['NEG-MSG','n',97]", WRONG_TYPE, "n", "invalid: NEG-MSG message is not a string"),
                bad("['NEG-CLOSE','n','x']", WRONG_ARITY, "n", "invalid: NEG-CLOSE has 3 elements, expected 2"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clientCases")
    void decodeClientRejectsWithKindIdsAndReplyText(Bad c) {
        // When
        MessageException e = catchThrowableOfType(MessageException.class, () -> MessageCodec.decodeClient(c.text()));

        // Then
        assertRejected(e, c);
    }

    static Stream<Bad> relayCases() {
        return Stream.of(
                bad("['CLOSE','s']", UNKNOWN_TYPE, null, "invalid: unknown message type CLOSE"),
                bad("['EVENT','s']", WRONG_ARITY, "s", "invalid: EVENT is missing its event"),
                bad("['EVENT'," + EVENT + "]", WRONG_TYPE, null, "invalid: EVENT subscription id is not a string"),
                bad("['OK','" + ID + "','true','']", WRONG_TYPE, null, "invalid: OK accepted flag is not true or false"),
                bad("['OK','" + ID + "',true]", WRONG_ARITY, null, "invalid: OK is missing its message"),
                bad("['EOSE','']", INVALID_SUBSCRIPTION_ID, null, "invalid: EOSE subscription id is empty"),
                bad("['EOSE','s','x']", WRONG_ARITY, "s", "invalid: EOSE has 3 elements, expected 2"),
                bad("['NOTICE']", WRONG_ARITY, null, "invalid: NOTICE is missing its message"),
                bad("['AUTH',{}]", WRONG_TYPE, null, "invalid: AUTH challenge is not a string"),
                bad("['COUNT','c',5]", WRONG_TYPE, "c", "invalid: COUNT result is not a JSON object"),
                bad("['COUNT','c',{'count':-1}]", WRONG_TYPE, "c", "invalid: COUNT result count is not a non-negative integer"),
                bad("['COUNT','c',{'count':1.5}]", WRONG_TYPE, "c", "invalid: COUNT result count is not a non-negative integer"),
                bad("['COUNT','c',{'count':1,'approximate':'no'}]", WRONG_TYPE, "c", "invalid: COUNT result approximate is not"),
                bad("['COUNT','c',{'count':1,'hll':0}]", WRONG_TYPE, "c", "invalid: COUNT result hll is not a string"),
                bad("['NEG-MSG','n','xyz']", INVALID_HEX, "n", "invalid: NEG-MSG message is not non-empty, even-length hex"),
                bad("['NEG-ERR','n']", WRONG_ARITY, "n", "invalid: NEG-ERR is missing its reason"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("relayCases")
    void decodeRelayRejectsWithKindIdsAndReplyText(Bad c) {
        // When
        MessageException e = catchThrowableOfType(MessageException.class, () -> MessageCodec.decodeRelay(c.text()));

        // Then
        assertRejected(e, c);
    }

    private static void assertRejected(MessageException e, Bad c) {
        assertThat(e).as("expected a MessageException").isNotNull();
        assertThat(e.kind()).isEqualTo(c.kind());
        assertThat(e.subscriptionId()).isEqualTo(c.subscriptionId());
        assertThat(e.eventId()).isEqualTo(c.eventId());
        assertThat(e.getMessage()).startsWith(c.messagePrefix());
    }
}
