package io.nostrex.loadtool;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/** What Linux tells about a process in /proc: resident memory and the open-files limit. */
final class ProcStatus {
    private ProcStatus() {}

    /** Resident set size of process {@code pid} ("self" for this one) in KiB; empty when unreadable. */
    static OptionalLong rssKib(String pid) {
        try {
            return vmRss(Files.readString(Path.of("/proc", pid, "status")));
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
    }

    /** The {@code VmRSS:  123 kB} line of a /proc/PID/status text, in KiB. */
    static OptionalLong vmRss(String status) {
        for (String line : status.split("\n")) {
            if (line.startsWith("VmRSS:")) {
                String[] parts = line.substring(6).trim().split("\\s+");
                return OptionalLong.of(Long.parseLong(parts[0]));
            }
        }
        return OptionalLong.empty();
    }

    /** Soft and hard limits on open files of a process; -1 for unlimited or unknown. */
    record FileLimit(long soft, long hard) {}

    static FileLimit openFiles(String pid) {
        try {
            return maxOpenFiles(Files.readString(Path.of("/proc", pid, "limits")));
        } catch (IOException | RuntimeException e) {
            return new FileLimit(-1, -1);
        }
    }

    /** The {@code Max open files  soft  hard  files} line of a /proc/PID/limits text. */
    static FileLimit maxOpenFiles(String limits) {
        for (String line : limits.split("\n")) {
            if (line.startsWith("Max open files")) {
                String[] parts = line.substring("Max open files".length()).trim().split("\\s+");
                return new FileLimit(number(parts[0]), number(parts[1]));
            }
        }
        return new FileLimit(-1, -1);
    }

    private static long number(String s) {
        return "unlimited".equals(s) ? -1 : Long.parseLong(s);
    }

    /** Files this process has open now; -1 when unknown. */
    static long openFileCount() {
        try (var files = Files.list(Path.of("/proc/self/fd"))) {
            return files.count();
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** CPU time (user + system) of process {@code pid} in clock ticks of 10 ms; empty when unreadable. */
    static OptionalLong cpuTicks(String pid) {
        try {
            return OptionalLong.of(statTicks(Files.readString(Path.of("/proc", pid, "stat"))));
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
    }

    /** utime + stime (fields 14 and 15) of a /proc/PID/stat line; the name in parentheses may hold spaces. */
    static long statTicks(String stat) {
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    /** Busy CPU ticks of the whole machine since boot (all cores, from /proc/stat); empty when unreadable. */
    static OptionalLong machineBusyTicks() {
        try {
            return OptionalLong.of(busyTicks(Files.readAllLines(Path.of("/proc/stat")).get(0)));
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
    }

    /** All ticks of the {@code cpu} line of /proc/stat except idle and iowait (guest time is already in user). */
    static long busyTicks(String cpuLine) {
        String[] f = cpuLine.trim().split("\\s+");
        long busy = 0;
        for (int i = 1; i < Math.min(f.length, 9); i++) {
            busy += i == 4 || i == 5 ? 0 : Long.parseLong(f[i]);
        }
        return busy;
    }
}
