package io.nostrex.gateway;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.Methods;
import io.undertow.util.StatusCodes;

/**
 * Plain HTTP on the relay URL: the NIP-11 document for {@code Accept: application/nostr+json} (with
 * CORS), the NIP-86 management API for {@code POST} with {@code Content-Type:
 * application/nostr+json+rpc}, and a small HTML page for browsers. ({@code /metrics}, {@code /health} and {@code /ready}
 * are answered before this handler, by {@link io.nostrex.ops.AdminEndpoints}.)
 */
final class HttpFront implements HttpHandler {
    private static final String NIP11 = "application/nostr+json";

    private final java.util.function.Supplier<String> infoJson;
    private final HttpHandler management;
    private final String page;

    HttpFront(java.util.function.Supplier<String> infoJson, String relayName, HttpHandler management) {
        this.infoJson = infoJson;
        this.management = management;
        this.page = "<!doctype html><html><head><meta charset=\"utf-8\"><title>" + escape(relayName)
                + "</title></head><body><h1>" + escape(relayName) + "</h1>"
                + "<p>This is a <a href=\"https://github.com/nostr-protocol/nips\">Nostr</a> relay. "
                + "Connect a Nostr client to this address with a WebSocket (ws:// or wss://).</p>"
                + "<p>Relay information (NIP-11): send <code>Accept: application/nostr+json</code>.</p>"
                + "</body></html>";
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        cors(exchange);
        if (ManagementApi.isRpc(exchange)) {
            management.handleRequest(exchange);
            return;
        }
        if (exchange.getRequestMethod().equals(Methods.OPTIONS)) {
            exchange.setStatusCode(StatusCodes.NO_CONTENT);
            exchange.endExchange();
            return;
        }
        String accept = exchange.getRequestHeaders().getFirst(Headers.ACCEPT);
        if (accept != null && accept.contains(NIP11)) {
            reply(exchange, NIP11, infoJson.get());
        } else {
            reply(exchange, "text/html; charset=utf-8", page);
        }
    }

    private static void cors(HttpServerExchange exchange) {
        exchange.getResponseHeaders()
                .put(new HttpString("Access-Control-Allow-Origin"), "*")
                .put(new HttpString("Access-Control-Allow-Headers"), "*")
                .put(new HttpString("Access-Control-Allow-Methods"), "GET, POST, OPTIONS");
    }

    private static void reply(HttpServerExchange exchange, String type, String body) {
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, type);
        exchange.getResponseSender().send(body);
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
