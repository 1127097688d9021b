package org.ticketledger.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ProcessCpuTest {

    private static final Path TASKS = Path.of("/proc/self/task");

    @Test
    void keepsTheCpuOfAThreadThatEndedWithinTheWindow() throws InterruptedException {
        assumeTrue(Files.isDirectory(TASKS), "needs Linux /proc");
        long[] before = ProcessCpu.threadMillis(TASKS);
        AtomicLong burnedNanos = new AtomicLong();
        Thread burner = new Thread(() -> {
            // By CPU time, not wall time: on a loaded machine a thread may get a tenth of a core.
            java.lang.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            long wallLimit = System.nanoTime() + 30_000_000_000L;
            long x = 1;
            while (threads.getCurrentThreadCpuTime() < 400_000_000L && System.nanoTime() < wallLimit) {
                for (int i = 0; i < 100_000; i++) {
                    x = x * 6364136223846793005L + 1442695040888963407L;
                }
            }
            burnedNanos.set(threads.getCurrentThreadCpuTime() + (x == 42 ? 1 : 0));
        }, "cpu-burner");
        burner.start();
        burner.join();
        long[] after = ProcessCpu.threadMillis(TASKS);

        long burnedMillis = burnedNanos.get() / 1_000_000;
        assumeTrue(burnedMillis >= 200, "the burner got too little CPU to tell: " + burnedMillis + " ms");
        // A sum over the live threads forgets the burner once it has ended (a pool retiring an idle
        // worker in a measured window did that to the app's CPU per operation).
        assertThat(after[0] - before[0]).isGreaterThanOrEqualTo(burnedMillis - 30);
        assertThat(after[1]).isGreaterThanOrEqualTo(before[1]);
    }
}
