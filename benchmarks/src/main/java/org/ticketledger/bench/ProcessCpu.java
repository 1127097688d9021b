package org.ticketledger.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * CPU time of this JVM and of local processes (the app under load, its PostgreSQL), for the
 * benchmarks' CPU-per-operation fields.
 */
public final class ProcessCpu {

    private ProcessCpu() {
    }

    /** Nanoseconds of CPU this process has used so far; 0 on a JVM that does not say. */
    public static long nanos() {
        java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : 0L;
    }

    /**
     * Milliseconds of CPU so far of this JVM's JIT compiler threads; empty where there is no
     * {@code /proc}. A run that is not yet warm spends much of its CPU there, which no steady state
     * does, so the benchmarks report it apart.
     */
    static OptionalLong jitMillis() {
        long[] t = threadMillis(Path.of("/proc/self/task"));
        return t == null ? OptionalLong.empty() : OptionalLong.of(t[1]);
    }

    /**
     * CPU so far of a process (Linux {@code /proc/PID}, 100 ticks per second), in milliseconds: the
     * whole process, and its JIT compiler threads (named "C1/C2 CompilerThread…") among them; null
     * where it cannot be read. The total is the process's own account, which keeps the CPU of
     * threads that ended: a sum over the live threads lost it, and an app whose pool retired an idle
     * thread during a measured window then reported a fraction of what it spent (seen: 3.6 s against
     * ~21 s in a 35 s window of redeem-http). A compiler thread that ended meanwhile is not counted.
     *
     * @param tasks {@code /proc/PID/task}
     */
    public static long[] threadMillis(Path tasks) {
        long jit = 0;
        try (java.util.stream.Stream<Path> ts = Files.list(tasks)) {
            for (Path t : (Iterable<Path>) ts::iterator) {
                try {
                    String stat = Files.readString(t.resolve("stat"));
                    String comm = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    if (comm.startsWith("C1 CompilerThre") || comm.startsWith("C2 CompilerThre")) {
                        jit += ticks(stat);
                    }
                } catch (IOException | RuntimeException e) {
                    // the thread ended meanwhile
                }
            }
            return new long[] {ticks(Files.readString(tasks.resolveSibling("stat"))) * 10, jit * 10};
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** utime + stime of a {@code /proc} stat line. */
    private static long ticks(String stat) {
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    /**
     * Milliseconds of CPU so far of a local PostgreSQL server (Linux {@code /proc}, 100 ticks per
     * second): the postmaster {@code postmaster} with its ended children (cutime, cstime) and its
     * live ones (the backends, the WAL writer, the checkpointer); empty where there is no such process.
     */
    public static OptionalLong postgresMillis(long postmaster) {
        List<long[]> procs = new ArrayList<>(); // pid, ppid, utime + stime, cutime + cstime
        List<Path> dirs = processDirs();
        if (dirs == null) {
            return OptionalLong.empty();
        }
        for (Path p : dirs) {
            try {
                String stat = Files.readString(p.resolve("stat"));
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                procs.add(new long[] {Long.parseLong(p.getFileName().toString()), Long.parseLong(f[1]), ticks(stat),
                        Long.parseLong(f[13]) + Long.parseLong(f[14])});
            } catch (IOException | RuntimeException e) {
                // the process ended meanwhile
            }
        }
        long ticks = 0;
        boolean found = false;
        for (long[] q : procs) {
            if (q[0] == postmaster) {
                ticks += q[2] + q[3];
                found = true;
            } else if (q[1] == postmaster) {
                ticks += q[2];
            }
        }
        return found ? OptionalLong.of(ticks * 10) : OptionalLong.empty();
    }

    /**
     * The local PostgreSQL postmaster whose command line names a directory under {@code dir} (an
     * embedded server's data directory); -1 if there is none.
     */
    public static long postmasterUnder(Path dir) {
        String under = dir.toAbsolutePath().toString();
        List<Path> dirs = processDirs();
        for (Path p : dirs == null ? List.<Path>of() : dirs) {
            try {
                String stat = Files.readString(p.resolve("stat"));
                String cmd = new String(Files.readAllBytes(p.resolve("cmdline")), java.nio.charset.StandardCharsets.UTF_8);
                if (stat.contains("(postgres)") && cmd.contains(under)) {
                    return Long.parseLong(p.getFileName().toString());
                }
            } catch (IOException | RuntimeException e) {
                // the process ended meanwhile
            }
        }
        return -1;
    }

    /** The process directories of {@code /proc} (named by pid); null where {@code /proc} cannot be listed. */
    private static List<Path> processDirs() {
        try (java.util.stream.Stream<Path> ps = Files.list(Path.of("/proc"))) {
            return ps.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit)).toList();
        } catch (IOException e) {
            return null;
        }
    }

    /** The parent of a local process (a backend's parent is its postmaster); -1 if unknown. */
    static long parentOf(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[1]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
