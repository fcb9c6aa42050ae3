package io.nostrex.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.nostrex.contract.PolicyReader;
import io.nostrex.contract.PolicyRecord;
import io.nostrex.contract.PolicyView;
import io.nostrex.contract.Topics;
import io.nostrex.protocol.EventJson;
import io.nostrex.protocol.EventVerifier;
import io.nostrex.protocol.Hex;
import io.nostrex.protocol.Json;
import io.nostrex.protocol.auth.HttpAuth;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.Methods;
import io.undertow.util.StatusCodes;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * NIP-86, the relay management API: JSON-RPC over HTTP POST on the relay's URL with
 * {@code Content-Type: application/nostr+json+rpc}, each request authorized by NIP-98 as one of the
 * admin pubkeys. A change is a record on the compacted topic {@code nostr.policy}, which every
 * gateway, validator and archiver follows; the answer comes once Kafka has it and this gateway has
 * applied it. Every change is logged with the admin's pubkey.
 */
final class ManagementApi implements HttpHandler {
    static final String CONTENT_TYPE = "application/nostr+json+rpc";
    private static final Logger LOG = LoggerFactory.getLogger(ManagementApi.class);
    private static final int MAX_BODY = 64 * 1024;
    private static final List<String> METHODS = List.of("supportedmethods", "banpubkey", "unbanpubkey",
            "listbannedpubkeys", "allowpubkey", "unallowpubkey", "listallowedpubkeys", "banevent", "allowevent",
            "listbannedevents", "changerelayname", "changerelaydescription", "changerelayicon", "blockip",
            "unblockip", "listblockedips");

    private final Set<String> admins;
    private final GatewayConfig.Access access;
    private final PolicyView policy;
    private final PolicyReader reader;
    private final KafkaProducer<String, String> producer;
    private final HttpAuth auth = new HttpAuth(EventVerifier.best());

    ManagementApi(Set<String> admins, GatewayConfig.Access access, PolicyView policy, PolicyReader reader,
                  KafkaProducer<String, String> producer) {
        this.admins = Set.copyOf(admins);
        this.access = access;
        this.policy = policy;
        this.reader = reader;
        this.producer = producer;
    }

    static boolean isRpc(HttpServerExchange exchange) {
        String type = exchange.getRequestHeaders().getFirst(Headers.CONTENT_TYPE);
        return exchange.getRequestMethod().equals(Methods.POST) && type != null
                && type.toLowerCase(java.util.Locale.ROOT).startsWith(CONTENT_TYPE);
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        if (exchange.isInIoThread()) {
            exchange.dispatch(this);
            return;
        }
        exchange.startBlocking();
        byte[] body;
        try (InputStream in = exchange.getInputStream()) {
            body = in.readNBytes(MAX_BODY + 1);
        }
        if (body.length > MAX_BODY) {
            reply(exchange, StatusCodes.REQUEST_ENTITY_TOO_LARGE, null, "the request is larger than " + MAX_BODY + " bytes");
            return;
        }
        String admin;
        try {
            admin = auth.authorize(exchange.getRequestHeaders().getFirst(Headers.AUTHORIZATION), "POST", body,
                    access.relayUrls(exchange.getRequestHeaders().getFirst(Headers.HOST)), System.currentTimeMillis() / 1000);
        } catch (HttpAuth.Refused refused) {
            reply(exchange, StatusCodes.UNAUTHORIZED, null, "unauthorized: " + refused.getMessage());
            return;
        }
        if (!admins.contains(admin)) {
            LOG.warn("NIP-86 request refused: {} is not an admin pubkey", admin);
            reply(exchange, StatusCodes.UNAUTHORIZED, null, "unauthorized: " + admin + " is not an admin of this relay");
            return;
        }
        String method;
        JsonNode params;
        try {
            JsonNode request = Json.read(body);
            method = request.path("method").asText("");
            params = request.path("params");
        } catch (Json.MalformedJsonException e) {
            reply(exchange, StatusCodes.BAD_REQUEST, null, "invalid: the body is not JSON: " + e.getMessage());
            return;
        }
        try {
            String result = call(method, params, admin);
            reply(exchange, StatusCodes.OK, result, null);
        } catch (BadCall e) {
            reply(exchange, StatusCodes.OK, null, e.getMessage());
        }
    }

    /** A call the API refuses; answered with {@code error}. */
    private static final class BadCall extends Exception {
        private static final long serialVersionUID = 1L;

        BadCall(String message) {
            super(message);
        }
    }

    /** The JSON result of a call. */
    private String call(String method, JsonNode params, String admin) throws BadCall, InterruptedException {
        return switch (method) {
            case "supportedmethods" -> json(METHODS);
            case "banpubkey" -> change(PolicyRecord.Kind.BAN_PUBKEY, hex(params, "pubkey"), null, reason(params), admin);
            case "unbanpubkey" -> lift(PolicyRecord.Kind.BAN_PUBKEY, hex(params, "pubkey"), admin);
            case "listbannedpubkeys" -> list(PolicyRecord.Kind.BAN_PUBKEY, "pubkey");
            case "allowpubkey" -> change(PolicyRecord.Kind.ALLOW_PUBKEY, hex(params, "pubkey"), null, reason(params), admin);
            case "unallowpubkey" -> lift(PolicyRecord.Kind.ALLOW_PUBKEY, hex(params, "pubkey"), admin);
            case "listallowedpubkeys" -> list(PolicyRecord.Kind.ALLOW_PUBKEY, "pubkey");
            case "banevent" -> change(PolicyRecord.Kind.BAN_EVENT, hex(params, "event id"), null, reason(params), admin);
            case "allowevent" -> lift(PolicyRecord.Kind.BAN_EVENT, hex(params, "event id"), admin);
            case "listbannedevents" -> list(PolicyRecord.Kind.BAN_EVENT, "id");
            case "changerelayname" -> change(PolicyRecord.Kind.RELAY_NAME, "", text(params, "name"), null, admin);
            case "changerelaydescription" -> change(PolicyRecord.Kind.RELAY_DESCRIPTION, "", text(params, "description"), null, admin);
            case "changerelayicon" -> change(PolicyRecord.Kind.RELAY_ICON, "", text(params, "icon URL"), null, admin);
            case "blockip" -> change(PolicyRecord.Kind.BLOCK_IP, ip(params), null, reason(params), admin);
            case "unblockip" -> lift(PolicyRecord.Kind.BLOCK_IP, ip(params), admin);
            case "listblockedips" -> list(PolicyRecord.Kind.BLOCK_IP, "ip");
            default -> throw new BadCall("unsupported method '" + method + "'; see supportedmethods");
        };
    }

    private String change(PolicyRecord.Kind kind, String subject, String value, String reason, String admin)
            throws BadCall, InterruptedException {
        PolicyRecord r = new PolicyRecord(kind, subject, value, reason, admin, System.currentTimeMillis());
        publish(r.key(), r.toJson());
        LOG.info("NIP-86: admin {} set {}{}{}", admin, r.key(), value == null ? "" : " to '" + value + "'",
                reason == null ? "" : " (" + reason + ")");
        return "true";
    }

    private String lift(PolicyRecord.Kind kind, String subject, String admin) throws BadCall, InterruptedException {
        String key = PolicyRecord.key(kind, subject);
        publish(key, null);
        LOG.info("NIP-86: admin {} lifted {}", admin, key);
        return "true";
    }

    /** Sends the record, waits for Kafka's acknowledgement and for this gateway to apply it. */
    private void publish(String key, String value) throws BadCall, InterruptedException {
        try {
            Pipeline.awaitPartitions(producer, Topics.POLICY, java.time.Duration.ofSeconds(10));
            RecordMetadata meta = producer.send(new ProducerRecord<>(Topics.POLICY, key, value)).get(10, TimeUnit.SECONDS);
            if (reader != null && !reader.awaitApplied(meta.partition(), meta.offset(), Duration.ofSeconds(5))) {
                LOG.warn("the policy change {} is in Kafka but this gateway has not read it back within 5 s", key);
            }
        } catch (ExecutionException | TimeoutException | IllegalStateException e) {
            throw new BadCall("error: Kafka did not take the change: " + e.getMessage());
        }
    }

    private String list(PolicyRecord.Kind kind, String field) {
        StringBuilder sb = new StringBuilder("[");
        for (PolicyRecord r : policy.list(kind)) {
            if (sb.length() > 1) {
                sb.append(',');
            }
            EventJson.string(sb.append("{\"").append(field).append("\":"), r.subject());
            if (r.reason() != null) {
                EventJson.string(sb.append(",\"reason\":"), r.reason());
            }
            sb.append('}');
        }
        return sb.append(']').toString();
    }

    private static String hex(JsonNode params, String what) throws BadCall {
        String v = params.path(0).asText("");
        if (!Hex.isLowerHex(v, 64)) {
            throw new BadCall("invalid: the first parameter must be a " + what + " as 64 lowercase hex characters");
        }
        return v;
    }

    private static String text(JsonNode params, String what) throws BadCall {
        JsonNode v = params.path(0);
        if (!v.isTextual()) {
            throw new BadCall("invalid: the first parameter must be the " + what);
        }
        return v.asText();
    }

    private static String ip(JsonNode params) throws BadCall {
        String v = params.path(0).asText("");
        // a literal only: an IPv4 address or one with colons (IPv6), so that no name is ever looked up
        boolean v4 = v.matches("\\d{1,3}(\\.\\d{1,3}){3}");
        boolean v6 = v.contains(":") && v.matches("[0-9a-fA-F:.]{2,45}");
        if (!v4 && !v6) {
            throw new BadCall("invalid: the first parameter must be an IP address");
        }
        try {
            return InetAddress.getByName(v).getHostAddress();
        } catch (IOException e) {
            throw new BadCall("invalid: '" + v + "' is not an IP address");
        }
    }

    private static String reason(JsonNode params) {
        JsonNode v = params.path(1);
        return v.isTextual() && !v.asText().isEmpty() ? v.asText() : null;
    }

    private static String json(List<String> strings) {
        StringBuilder sb = new StringBuilder("[");
        for (String s : strings) {
            if (sb.length() > 1) {
                sb.append(',');
            }
            EventJson.string(sb, s);
        }
        return sb.append(']').toString();
    }

    private static void reply(HttpServerExchange exchange, int status, String resultJson, String error) {
        exchange.setStatusCode(status);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
        StringBuilder sb = new StringBuilder("{");
        if (resultJson != null) {
            sb.append("\"result\":").append(resultJson);
        }
        if (error != null) {
            EventJson.string(sb.append(resultJson != null ? "," : "").append("\"error\":"), error);
        }
        exchange.getResponseSender().send(sb.append('}').toString());
    }
}
