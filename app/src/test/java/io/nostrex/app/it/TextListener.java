package io.nostrex.app.it;

import java.net.http.WebSocket;
import java.util.concurrent.CompletionStage;

/** A WebSocket listener that hands on whole text messages (the JDK may deliver one in parts). */
public abstract class TextListener implements WebSocket.Listener {
    private final StringBuilder partial = new StringBuilder();

    @Override
    public final CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            String m = partial.toString();
            partial.setLength(0);
            text(m);
        }
        ws.request(1);
        return null;
    }

    /** One whole text message, on the client's thread. */
    protected abstract void text(String message);
}
