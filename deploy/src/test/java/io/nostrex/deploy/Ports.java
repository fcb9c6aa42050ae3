package io.nostrex.deploy;

import io.nostrex.app.Settings;
import io.nostrex.deploy.Compose.Service;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The ports a service listens on, read from its settings, with each program's default. */
final class Ports {
    private static final Pattern PORT_AFTER_COLON = Pattern.compile(":(\\d+)(?:,|$)");
    private static final int GATEWAY_DEFAULT = 7777;

    private Ports() {
    }

    static List<Integer> listenedOn(Service service) {
        if (service.isNostrex()) {
            return service.role().equals("topics") ? List.of() : List.of(metrics(service));
        }
        return switch (service.name()) {
            case "kafka" -> portsIn(service.environment().get("KAFKA_LISTENERS"));
            case "postgres" -> List.of(argument(service, "port=", 5432));
            case "prometheus" -> List.of(argument(service, "--web.listen-address=", 9090));
            case "grafana" -> List.of(Integer.parseInt(service.environment().getOrDefault("GF_SERVER_HTTP_PORT", "3000")));
            default -> throw new AssertionError("which ports does " + service.name() + " listen on?");
        };
    }

    /** Where a role serves /metrics: the gateway on its port, the others on their admin port. */
    static int metrics(Service role) {
        String variable = role.role().equals("gateway") ? "NOSTREX_PORT" : "NOSTREX_ADMIN_PORT";
        int fallback = role.role().equals("gateway") ? GATEWAY_DEFAULT : Settings.DEFAULT_ADMIN_PORT;
        String value = role.environment().get(variable);
        return value == null ? fallback : Integer.parseInt(value);
    }

    /** "PLAINTEXT://127.0.0.1:19092,CONTROLLER://127.0.0.1:19093" -> [19092, 19093] */
    static List<Integer> portsIn(String listeners) {
        List<Integer> ports = new ArrayList<>();
        Matcher m = PORT_AFTER_COLON.matcher(listeners);
        while (m.find()) {
            ports.add(Integer.parseInt(m.group(1)));
        }
        return ports;
    }

    /** The port at the end of a command argument such as "port=15432" or "--web.listen-address=127.0.0.1:19090". */
    private static int argument(Service service, String prefix, int fallback) {
        for (String argument : service.command()) {
            if (argument.startsWith(prefix)) {
                String value = argument.substring(prefix.length());
                return Integer.parseInt(value.substring(value.lastIndexOf(':') + 1));
            }
        }
        return fallback;
    }
}
