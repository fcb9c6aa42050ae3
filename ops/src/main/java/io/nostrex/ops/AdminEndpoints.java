package io.nostrex.ops;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.StatusCodes;

/**
 * {@code /metrics} (Prometheus text), {@code /health} (liveness) and {@code /ready} (readiness);
 * any other request goes to {@code next}. Health answers 200 when up and 503 when down, with the
 * checks as JSON. Runs off the I/O thread: a scrape walks every meter.
 */
public final class AdminEndpoints implements HttpHandler {
    public static final String METRICS = "/metrics";
    public static final String HEALTH = "/health";
    public static final String READY = "/ready";
    static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private final PrometheusMeterRegistry registry;
    private final Health health;
    private final HttpHandler next;

    public AdminEndpoints(PrometheusMeterRegistry registry, Health health, HttpHandler next) {
        this.registry = registry;
        this.health = health;
        this.next = next;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        String path = exchange.getRequestPath();
        if (!path.equals(METRICS) && !path.equals(HEALTH) && !path.equals(READY)) {
            next.handleRequest(exchange);
            return;
        }
        if (exchange.isInIoThread()) {
            exchange.dispatch(this);
            return;
        }
        switch (path) {
            case METRICS -> reply(exchange, StatusCodes.OK, PROMETHEUS_TEXT, registry.scrape());
            case HEALTH -> report(exchange, health.liveness());
            default -> report(exchange, health.readiness());
        }
    }

    private static void report(HttpServerExchange exchange, Report report) {
        reply(exchange, report.up() ? StatusCodes.OK : StatusCodes.SERVICE_UNAVAILABLE, "application/json",
                report.toJson());
    }

    private static void reply(HttpServerExchange exchange, int status, String type, String body) {
        exchange.setStatusCode(status);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, type);
        exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-store");
        exchange.getResponseSender().send(body);
    }

    /** Answers 404 to anything else: the admin port serves only the three endpoints. */
    public static HttpHandler notFound() {
        return exchange -> {
            exchange.setStatusCode(StatusCodes.NOT_FOUND);
            exchange.getResponseSender().send("not found: try " + METRICS + ", " + HEALTH + " or " + READY + "\n");
        };
    }
}
