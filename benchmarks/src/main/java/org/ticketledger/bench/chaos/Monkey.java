package org.ticketledger.bench.chaos;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.function.DoubleSupplier;
import org.ticketledger.bench.http.AppProcess;

/**
 * The chaos: SIGKILLs of the app and restarts of PostgreSQL at random moments of the drive (random
 * points of progress, plus a random sub-second offset so that they land anywhere inside requests
 * and jobs). Runs on its own thread; {@link #join()} waits for the last event.
 */
final class Monkey {

    enum Kind { KILL_APP, RESTART_POSTGRES }

    record Event(double atProgress, Kind kind) {
    }

    private final Cluster cluster;
    private final DoubleSupplier progress;
    private final List<Event> events;
    private final Random random;
    private final PrintStream log;
    private final Thread thread;
    private final List<String> done = Collections.synchronizedList(new ArrayList<>());
    private volatile RuntimeException failure;

    Monkey(Cluster cluster, DoubleSupplier progress, int kills, int pgRestarts, long seed, PrintStream log) {
        this.cluster = cluster;
        this.progress = progress;
        this.random = new Random(seed);
        this.log = log;
        List<Event> e = new ArrayList<>();
        int n = kills + pgRestarts;
        // One event in each of n equal slices of 5 %..90 % progress, at a random point of its slice.
        List<Kind> kinds = new ArrayList<>();
        for (int i = 0; i < kills; i++) {
            kinds.add(Kind.KILL_APP);
        }
        for (int i = 0; i < pgRestarts; i++) {
            kinds.add(Kind.RESTART_POSTGRES);
        }
        Collections.shuffle(kinds, random);
        for (int i = 0; i < n; i++) {
            double slice = 0.85 / n;
            e.add(new Event(0.05 + slice * i + random.nextDouble() * slice, kinds.get(i)));
        }
        this.events = List.copyOf(e);
        this.thread = new Thread(this::run, "chaos-monkey");
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    private void run() {
        try {
            for (Event e : events) {
                while (progress.getAsDouble() < e.atProgress()) {
                    AppProcess.sleep(10);
                }
                AppProcess.sleep(random.nextInt(500));
                if (e.kind() == Kind.KILL_APP) {
                    log.printf("chaos: SIGKILL the app at %.1f %% of orders%n", progress.getAsDouble() * 100);
                    cluster.killAndRestartApp();
                } else {
                    log.printf("chaos: restart PostgreSQL at %.1f %% of orders%n", progress.getAsDouble() * 100);
                    cluster.restartPostgres(Duration.ofMillis(500 + random.nextInt(2500)));
                }
                done.add(e.kind().name());
            }
        } catch (RuntimeException e) {
            failure = e;
            log.println("chaos: monkey failed: " + e);
        }
    }

    /** Waits for the last event; rethrows a failure to restart something. */
    void join() {
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        if (failure != null) {
            throw failure;
        }
    }

    long count(Kind kind) {
        synchronized (done) {
            return done.stream().filter(k -> k.equals(kind.name())).count();
        }
    }
}
