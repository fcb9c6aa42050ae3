package io.nostrex.protocol.fuzz;

import io.nostrex.protocol.message.ClientMessage;
import io.nostrex.protocol.message.MessageCodec;
import io.nostrex.protocol.message.MessageException;
import java.nio.charset.StandardCharsets;

/**
 * The client-message decoder, on text as the gateway gets it (Undertow refuses invalid UTF-8, so
 * the fuzzer's bytes are decoded with replacement). A message or a typed error; a message encoded
 * again decodes to itself; the event of an EVENT or AUTH passes {@link EventRules}.
 */
public final class ClientMessageFuzzer {
    private ClientMessageFuzzer() {}

    public static void fuzzerTestOneInput(byte[] data) {
        String text = new String(data, StandardCharsets.UTF_8);
        ClientMessage m;
        try {
            m = MessageCodec.decodeClient(text);
        } catch (MessageException typed) {
            FuzzFinding.check(typed.getMessage() != null && !typed.getMessage().isBlank(), "blank MessageException");
            return;
        }
        FuzzFinding.check(m != null, "null message for " + text);
        String encoded = MessageCodec.encode(m);
        try {
            FuzzFinding.check(MessageCodec.decodeClient(encoded).equals(m), "encode-decode changed " + text + " into " + encoded);
        } catch (MessageException e) {
            throw new FuzzFinding("the relay's own encoding of a decoded message does not decode: " + encoded, e);
        }
        if (m instanceof ClientMessage.EventMessage e) {
            EventRules.check(e.event());
        } else if (m instanceof ClientMessage.Auth a) {
            EventRules.check(a.event());
        }
    }
}
