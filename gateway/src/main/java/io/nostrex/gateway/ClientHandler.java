package io.nostrex.gateway;

import io.nostrex.protocol.Event;
import io.nostrex.protocol.EventVerifier;
import io.nostrex.protocol.Filter;
import io.nostrex.protocol.auth.AuthEvents;
import io.nostrex.protocol.auth.ReadAccess;
import io.nostrex.protocol.message.ClientMessage;
import io.nostrex.protocol.message.MessageCodec;
import io.nostrex.protocol.message.MessageException;
import io.nostrex.protocol.message.RelayMessage;
import java.util.List;
import java.util.stream.Collectors;
import org.slf4j.LoggerFactory;

/**
 * Turns one client message into its effect and every failure into the reply NIP-01 expects:
 * OK false for an EVENT, CLOSED for a REQ or COUNT, NOTICE for anything unreadable. The connection
 * stays open.
 */
final class ClientHandler {
    private final GatewayConfig.Limits limits;
    private final Pipeline pipeline;
    private final PendingOks pending;
    private final LiveSubscriptions live;
    private final History history;
    private final FairQueries fair;
    private final GatewayMetrics metrics;
    private final Negentropies negentropies;
    private final AuthEvents authEvents = new AuthEvents(EventVerifier.best());

    ClientHandler(GatewayConfig.Limits limits, Pipeline pipeline, PendingOks pending, LiveSubscriptions live,
                  History history, FairQueries fair, GatewayMetrics metrics) {
        this.metrics = metrics;
        this.limits = limits;
        this.pipeline = pipeline;
        this.pending = pending;
        this.live = live;
        this.history = history;
        this.fair = fair;
        this.negentropies = new Negentropies(history, fair, limits.maxNegentropyRecords(), metrics);
    }

    /** Closes the negentropy sessions left idle (run periodically). */
    void closeIdleNegentropies() {
        try {
            negentropies.closeIdle(System.currentTimeMillis());
        } catch (RuntimeException e) {
            LoggerFactory.getLogger(ClientHandler.class).warn("closing idle negentropy sessions failed: {}", e.toString());
        }
    }

    /** Releases what a closed connection held here (its negentropy sessions). */
    void closed(Connection c) {
        negentropies.closed(c);
    }

    void handle(Connection c, String text) {
        ClientMessage message;
        try {
            message = MessageCodec.decodeClient(text);
        } catch (MessageException e) {
            metrics.clientMessage(String.valueOf(e.type()));
            refuse(c, e);
            return;
        }
        metrics.clientMessage(message.verb());
        if (message instanceof ClientMessage.EventMessage m) {
            if (!pending.add(c, m.event().id())) {
                c.send(new RelayMessage.Ok(m.event().id(), false, "rate-limited: " + pending.maxPerConnection()
                        + " EVENTs of this connection await their OK; read them before sending more"));
                return;
            }
            pipeline.publish(m.event(), c, error -> pending.answer(c.id, m.event().id(), false,
                    "rate-limited: the relay could not queue this event (" + error + "); retry later"));
        } else if (message instanceof ClientMessage.Req m) {
            if (checkSubscription(c, m.subscriptionId(), m.filters()) && checkPrivate(c, m.subscriptionId(), m.filters())) {
                live.open(c, m.subscriptionId(), capped(m.filters()));
            }
        } else if (message instanceof ClientMessage.Close m) {
            live.close(c, m.subscriptionId());
        } else if (message instanceof ClientMessage.Count m) {
            if (checkSubscription(c, m.subscriptionId(), m.filters()) && checkPrivate(c, m.subscriptionId(), m.filters())) {
                count(c, m.subscriptionId(), m.filters());
            }
        } else if (message instanceof ClientMessage.Auth m) {
            authenticate(c, m.event());
        } else if (message instanceof ClientMessage.NegOpen m) {
            if (m.subscriptionId().length() > limits.maxSubidLength()) {
                c.send(new RelayMessage.NegErr(m.subscriptionId(),
                        "invalid: subscription id is longer than " + limits.maxSubidLength() + " characters"));
            } else {
                negentropies.open(c, m.subscriptionId(), m.filter(), m.initialMessageHex());
            }
        } else if (message instanceof ClientMessage.NegMsg m) {
            negentropies.message(c, m.subscriptionId(), m.messageHex());
        } else if (message instanceof ClientMessage.NegClose m) {
            negentropies.close(c, m.subscriptionId());
        }
    }

    /**
     * NIP-42: a valid AUTH adds its pubkey to the connection (several may be added). The event is
     * neither stored nor sent to Kafka.
     */
    private void authenticate(Connection c, Event e) {
        String problem = authEvents.problem(e, c.challenge, c.relayUrls, System.currentTimeMillis() / 1000);
        metrics.auth(problem == null).increment();
        if (problem == null) {
            c.authenticate(e.pubkey());
            c.send(new RelayMessage.Ok(e.id(), true, ""));
        } else {
            c.send(new RelayMessage.Ok(e.id(), false, problem));
        }
    }

    /**
     * A REQ or COUNT whose every filter asks only for private kinds (direct messages, gift wraps)
     * from a connection that has not authenticated is closed with {@code auth-required:}, so that
     * the client can authenticate and ask again. Otherwise the private events the connection may
     * not read are withheld from its answers.
     */
    private static boolean checkPrivate(Connection c, String subId, List<Filter> filters) {
        ReadAccess access = c.access();
        if (filters.isEmpty() || !filters.stream().allMatch(access::asksOnlyPrivate)) {
            return true;
        }
        String kinds = access.privateKinds().stream().sorted().map(String::valueOf).collect(Collectors.joining(", "));
        if (access.pubkeys().isEmpty()) {
            c.send(new RelayMessage.Closed(subId, "auth-required: direct messages and gift wraps (kinds " + kinds
                    + ") are served only to an authenticated author or recipient (NIP-42)"));
            return false;
        }
        if (filters.stream().noneMatch(f -> mayReach(f, access.pubkeys()))) {
            c.send(new RelayMessage.Closed(subId, "restricted: direct messages and gift wraps (kinds " + kinds
                    + ") are served only to their author or recipients, and this connection is authenticated as neither"));
            return false;
        }
        return true;
    }

    /** Whether a filter of private kinds could match an event by or to one of the pubkeys. */
    private static boolean mayReach(Filter f, java.util.Set<String> pubkeys) {
        boolean byThem = f.authors() == null || f.authors().stream().anyMatch(pubkeys::contains);
        java.util.Set<String> recipients = f.tags().get('p');
        boolean toThem = recipients == null || recipients.stream().anyMatch(pubkeys::contains);
        return byThem || toThem;
    }

    /**
     * A message over its address's messages per second: refused as its verb expects (OK false for
     * an EVENT, CLOSED for a REQ or COUNT, NEG-ERR, else NOTICE), with {@code rate-limited:}. Never
     * dropped silently.
     */
    void rateLimited(Connection c, String text, int perSecond) {
        String reason = "rate-limited: your address may send " + perSecond + " messages per second to this gateway; slow down";
        ClientMessage message;
        try {
            message = MessageCodec.decodeClient(text);
        } catch (MessageException e) {
            c.send(new RelayMessage.Notice(reason));
            return;
        }
        if (message instanceof ClientMessage.EventMessage m) {
            c.send(new RelayMessage.Ok(m.event().id(), false, reason));
        } else if (message instanceof ClientMessage.Auth m) {
            c.send(new RelayMessage.Ok(m.event().id(), false, reason));
        } else if (message instanceof ClientMessage.Req m) {
            c.send(new RelayMessage.Closed(m.subscriptionId(), reason));
        } else if (message instanceof ClientMessage.Count m) {
            c.send(new RelayMessage.Closed(m.subscriptionId(), reason));
        } else if (message instanceof ClientMessage.NegOpen m) {
            c.send(new RelayMessage.NegErr(m.subscriptionId(), reason));
        } else if (message instanceof ClientMessage.NegMsg m) {
            c.send(new RelayMessage.NegErr(m.subscriptionId(), reason));
        } else if (message instanceof ClientMessage.Close m) {
            handle(c, text); // a CLOSE frees the relay: always taken
        } else {
            c.send(new RelayMessage.Notice(reason));
        }
    }

    private boolean checkSubscription(Connection c, String subId, List<Filter> filters) {
        String reason = null;
        if (subId.length() > limits.maxSubidLength()) {
            reason = "invalid: subscription id is longer than " + limits.maxSubidLength() + " characters";
        } else if (filters.size() > limits.maxFilters()) {
            reason = "invalid: more than " + limits.maxFilters() + " filters";
        }
        if (reason != null) {
            c.send(new RelayMessage.Closed(subId, reason));
            c.invalid();
            return false;
        }
        return true;
    }

    private List<Filter> capped(List<Filter> filters) {
        return filters.stream().map(f -> f.limit() != null && f.limit() > limits.maxLimit()
                ? f.withLimit(limits.maxLimit()) : f).toList();
    }

    private void count(Connection c, String subId, List<Filter> filters) {
        fair.submit(c.queryLane, () -> {
            try {
                History.Count n = history.count(filters, c.access(), limits.maxCountRows());
                c.send(new RelayMessage.CountResult(subId, n.count(), n.approximate() ? Boolean.TRUE : null, n.hll()));
            } catch (RuntimeException e) {
                c.send(new RelayMessage.Closed(subId, "error: could not count stored events"));
            }
        }, reason -> {
            metrics.queriesRejected.increment();
            c.send(new RelayMessage.Closed(subId, "rate-limited: " + reason + "; retry the COUNT"));
        });
    }

    private static void refuse(Connection c, MessageException e) {
        c.invalid();
        String type = e.type();
        if (("EVENT".equals(type) || "AUTH".equals(type)) && e.eventId() != null) {
            c.send(new RelayMessage.Ok(e.eventId(), false, e.getMessage()));
        } else if (("REQ".equals(type) || "COUNT".equals(type)) && e.subscriptionId() != null) {
            c.send(new RelayMessage.Closed(e.subscriptionId(), e.getMessage()));
        } else if (type != null && type.startsWith("NEG-") && e.subscriptionId() != null) {
            c.send(new RelayMessage.NegErr(e.subscriptionId(), e.getMessage()));
        } else {
            c.send(new RelayMessage.Notice(e.getMessage()));
        }
    }
}
