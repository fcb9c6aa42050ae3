package io.nostrex.loadtool;

import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;

/**
 * CPU time this tool, the relay JVM (given its pid) and the whole machine (PostgreSQL and anything
 * else included) used during a measurement: on a small machine where all run, this tells whether
 * the cores were the limit and who used them.
 */
record CpuUse(double wallSeconds, double clientSeconds, Double relaySeconds, Double machineSeconds) {
    private static final double TICK_SECONDS = 0.01; // USER_HZ is 100 on Linux

    /** A measurement started now; {@code relayPid} may be null. */
    static Meter start(String relayPid) {
        return new Meter(relayPid);
    }

    static final class Meter {
        private final String relayPid;
        private final long wall = System.nanoTime();
        private final long client = clientNanos();
        private final OptionalLong relay;
        private final OptionalLong machine = ProcStatus.machineBusyTicks();

        private Meter(String relayPid) {
            this.relayPid = relayPid;
            this.relay = relayPid == null ? OptionalLong.empty() : ProcStatus.cpuTicks(relayPid);
        }

        CpuUse stop() {
            OptionalLong relayNow = relayPid == null ? OptionalLong.empty() : ProcStatus.cpuTicks(relayPid);
            OptionalLong machineNow = ProcStatus.machineBusyTicks();
            return new CpuUse((System.nanoTime() - wall) / 1e9, (clientNanos() - client) / 1e9,
                    relay.isPresent() && relayNow.isPresent() ? (relayNow.getAsLong() - relay.getAsLong()) * TICK_SECONDS : null,
                    machine.isPresent() && machineNow.isPresent()
                            ? (machineNow.getAsLong() - machine.getAsLong()) * TICK_SECONDS : null);
        }
    }

    private static long clientNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return Math.max(0, os.getProcessCpuTime());
        }
        return 0;
    }

    private static String share(double seconds, double wall) {
        return String.format("%.1f s (%.0f%% of one core)", seconds, wall > 0 ? 100 * seconds / wall : 0);
    }

    String line() {
        return String.format("  CPU         load tool %s, relay %s%s, over %.1f s on %d cores%n", share(clientSeconds, wallSeconds),
                relaySeconds == null ? "not measured (give --relay-pid)" : share(relaySeconds, wallSeconds),
                machineSeconds == null ? "" : "; whole machine busy " + share(machineSeconds, wallSeconds),
                wallSeconds, Runtime.getRuntime().availableProcessors());
    }

    Map<String, Object> json() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("wall_seconds", wallSeconds);
        m.put("load_tool_cpu_seconds", clientSeconds);
        m.put("relay_cpu_seconds", relaySeconds);
        m.put("machine_busy_cpu_seconds", machineSeconds);
        return m;
    }
}
