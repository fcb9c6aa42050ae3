package io.nostrex.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.nostrex.deploy.Compose.Service;
import io.nostrex.deploy.ComposeProject.Container;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The relay stack of docker-compose.yml with the host-network override, as one test run deploys
 * it: free ports of this machine for every {@code PORT_*} variable, the Nostrex image of this
 * build, the other images from the {@code IMAGE_*} variables (or Compose's defaults), a project
 * name of its own. Starts it, waits for its roles, crashes one, prints logs and removes it all.
 */
final class DockerStack {
    private static final Pattern PORT_VARIABLE = Pattern.compile("\\$\\{(PORT_[A-Z0-9_]+)");
    private static final Duration POLL = Duration.ofMillis(500);
    private static final int LOG_LINES = 80;

    /** A long-running Nostrex service and the port of its /ready and /metrics. */
    record Role(String service, String role, int port) {
        String url(String path) {
            return "http://127.0.0.1:" + port + path;
        }
    }

    private final Map<String, String> variables;
    private final Compose model;
    private final List<String> services;
    private final Consumer<String> out;
    private ComposeProject project;
    private Thread removeOnExit;

    private DockerStack(Map<String, String> variables, Compose model, List<String> services, Consumer<String> out) {
        this.variables = variables;
        this.model = model;
        this.services = services;
        this.out = out;
    }

    /** The stack of {@code services}, on {@code nostrexImage}, the roles' JVMs started with {@code javaOptions}. */
    static DockerStack plan(List<String> services, String nostrexImage, String javaOptions, Consumer<String> out) {
        Map<String, String> variables = new TreeMap<>();
        List<String> names = portVariables();
        List<Integer> ports = freePorts(names.size());
        for (int i = 0; i < names.size(); i++) {
            variables.put(names.get(i), Integer.toString(ports.get(i)));
        }
        variables.put("IMAGE_NOSTREX", nostrexImage);
        variables.put("NOSTREX_TEST_JAVA_OPTS", javaOptions);
        Map<String, String> environment = new HashMap<>(System.getenv());
        environment.putAll(variables);
        return new DockerStack(variables, Compose.load(environment, ComposeProject.FILES.toArray(String[]::new)),
                List.copyOf(services), out);
    }

    /** The images of the services, as Compose will resolve them. */
    Set<String> images() {
        Set<String> images = new TreeSet<>();
        services.forEach(service -> images.add(model.service(service).image()));
        return images;
    }

    List<Role> roles() {
        return model.roles().stream().filter(s -> services.contains(s.name()))
                .map(s -> new Role(s.name(), s.role(), Ports.metrics(s))).toList();
    }

    Role role(String service) {
        return roles().stream().filter(r -> r.service().equals(service)).findFirst()
                .orElseThrow(() -> new AssertionError("no role " + service));
    }

    /** Where a service other than a role listens (Prometheus, Kafka). */
    int port(String service) {
        return Ports.listenedOn(model.service(service)).get(0);
    }

    /** Starts every service under a project name of its own; the project is removed when this JVM exits, at the latest. */
    void start(List<String> compose, String projectName, Duration bound) {
        project = new ComposeProject(compose, projectName, variables);
        removeOnExit = new Thread(project::down, "remove " + projectName);
        Runtime.getRuntime().addShutdownHook(removeOnExit);
        out.accept("starting " + projectName + " (" + String.join(" ", compose) + ") with " + variables);
        Command.Result up = project.up(services, bound);
        if (!up.ok()) {
            services.forEach(this::printLogs);
            throw new AssertionError("compose up failed:\n" + up.tail(40));
        }
    }

    /** Waits until /ready answers 200 on every role; else prints the logs of the others and fails. */
    void awaitReady(List<Role> roles, Duration bound) throws InterruptedException {
        long deadline = System.nanoTime() + bound.toNanos();
        List<HttpGet> notReady = notReady(roles);
        while (!notReady.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(POLL.toMillis());
            notReady = notReady(roles);
        }
        if (!notReady.isEmpty()) {
            Set<String> urls = new TreeSet<>(notReady.stream().map(HttpGet::url).toList());
            roles.stream().filter(r -> urls.contains(r.url("/ready"))).forEach(r -> printLogs(r.service()));
            throw new AssertionError("not ready after " + bound.toSeconds() + " s: " + notReady);
        }
    }

    private static List<HttpGet> notReady(List<Role> roles) throws InterruptedException {
        List<HttpGet> answers = new ArrayList<>();
        for (Role role : roles) {
            HttpGet ready = HttpGet.of(role.url("/ready"));
            if (ready.status() != 200) {
                answers.add(ready);
            }
        }
        return answers;
    }

    Container container(String service) {
        return project.container(service);
    }

    /**
     * Kills the service's main process with SIGKILL, as a crash or the kernel's OOM killer would (a
     * {@code docker kill} would count as a manual stop, which the restart policy leaves stopped).
     * Returns the container as it was before.
     */
    Container crash(String service) {
        Container before = project.container(service);
        assertThat(before.running()).as("%s runs", service).isTrue();
        ProcessHandle process = ProcessHandle.of(before.pid())
                .orElseThrow(() -> new AssertionError("the PID of " + service + ", " + before.pid() + ", is not on this machine"));
        assertThat(process.info().commandLine().orElse("")).as("PID %d is %s's Nostrex JVM, seen from here (not Docker in a VM)",
                before.pid(), service).contains("io.nostrex.app.Main");
        assertThat(process.destroyForcibly()).as("SIGKILL to PID %d (%s)", before.pid(), service).isTrue();
        return before;
    }

    /** Waits until the restart policy has started the service again and its role answers /ready with 200. */
    Container awaitRestart(String service, Container before, Duration bound) throws InterruptedException {
        long deadline = System.nanoTime() + bound.toNanos();
        Container now = project.container(service);
        while (!(now.running() && now.restartCount() > before.restartCount()) && System.nanoTime() < deadline) {
            Thread.sleep(POLL.toMillis());
            now = project.container(service);
        }
        if (!now.running() || now.restartCount() <= before.restartCount()) {
            printLogs(service);
            throw new AssertionError(service + " was not restarted within " + bound.toSeconds() + " s: " + now);
        }
        awaitReady(List.of(role(service)), Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
        return now;
    }

    void printLogs(String service) {
        out.accept("--- the last " + LOG_LINES + " log lines of " + service + " ---\n" + project.logs(service, LOG_LINES));
    }

    /** One line per service: status, restarts, exit code; the logs of those that are not as they should be. */
    void report(Map<String, Integer> expectedRestarts) {
        for (String service : services) {
            Container c;
            try {
                c = project.container(service);
            } catch (AssertionError noContainer) {
                out.accept(noContainer.getMessage());
                continue;
            }
            out.accept(String.format(Locale.ROOT, "%-12s %-8s restarts %d, exit code %d", service, c.status(), c.restartCount(), c.exitCode()));
            boolean oneShot = service.equals("topics");
            boolean well = oneShot ? c.exitCode() == 0 : c.running() && c.restartCount() == expectedRestarts.getOrDefault(service, 0);
            if (!well) {
                printLogs(service);
            }
        }
    }

    /** Removes the containers, volumes and network of the project. */
    void tearDown() {
        Command.Result down = project.down();
        out.accept("down -v --remove-orphans: " + (down.ok() ? "done" : "FAILED\n" + down.tail(20)));
        Runtime.getRuntime().removeShutdownHook(removeOnExit);
    }

    boolean started() {
        return project != null;
    }

    /** Every PORT_* variable the host-network override reads. */
    private static List<String> portVariables() {
        try {
            Matcher m = PORT_VARIABLE.matcher(Files.readString(Compose.ROOT.resolve(ComposeProject.FILES.get(1))));
            Set<String> names = new TreeSet<>();
            while (m.find()) {
                names.add(m.group(1));
            }
            return List.copyOf(names);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Ports on 127.0.0.1 that nothing listens on now, all different (each held until all are found). */
    private static List<Integer> freePorts(int n) {
        List<ServerSocket> held = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                held.add(new ServerSocket(0, 1, InetAddress.getLoopbackAddress()));
            }
            return held.stream().map(ServerSocket::getLocalPort).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            for (ServerSocket socket : held) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // a port that does not close is still not ours to use
                }
            }
        }
    }
}
