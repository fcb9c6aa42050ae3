package io.nostrex.deploy;

import io.nostrex.deploy.Compose.Service;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The network addresses a service is started with: where it listens and what it connects to. */
final class Addresses {
    /** host:port in any text (a URL, a listener, a quorum voter); an empty host ("PLAINTEXT://:9092") counts as "". */
    private static final Pattern HOST_PORT = Pattern.compile("(?<![\\w.-])([A-Za-z0-9][A-Za-z0-9.-]*)?:(\\d{2,5})\\b");
    private static final Pattern LISTEN_ADDRESSES = Pattern.compile("listen_addresses=(.*)");

    private Addresses() {
    }

    static List<String> of(Service service) {
        List<String> hosts = new ArrayList<>();
        service.texts().forEach(text -> hosts.addAll(hostsIn(text)));
        service.command().forEach(argument -> {
            Matcher m = LISTEN_ADDRESSES.matcher(argument);
            if (m.matches()) {
                hosts.add(m.group(1));
            }
        });
        for (Map.Entry<String, String> e : service.environment().entrySet()) {
            if (e.getKey().endsWith("_HOST") || e.getKey().endsWith("_ADDR")) {
                hosts.add(e.getValue());
            }
        }
        return hosts;
    }

    static List<String> hostsIn(String text) {
        List<String> hosts = new ArrayList<>();
        Matcher m = HOST_PORT.matcher(text);
        while (m.find()) {
            hosts.add(m.group(1) == null ? "" : m.group(1));
        }
        return hosts;
    }
}
