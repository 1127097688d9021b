package org.ticketledger.ledger.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.ticketledger.ledger.EntryRequest;
import org.ticketledger.ledger.LedgerException;
import org.ticketledger.ledger.LedgerId;
import org.ticketledger.ledger.Money;
import org.ticketledger.ledger.PostResult;
import org.ticketledger.ledger.RejectionReason;

class GroupCommitterTest {

    private static EntryRequest request(String key) {
        return EntryRequest.builder(LedgerId.of("l"), key, "t").debit("a", Money.cny(1)).credit("b", Money.cny(1)).build();
    }

    private static PostResult echo(EntryRequest r) {
        return new PostResult.Rejected(RejectionReason.UNKNOWN_LEDGER, r.idempotencyKey());
    }

    @Test
    void everyCallerGetsItsOwnResultAndBatchesFormWhileAWriteIsInFlight() throws Exception {
        List<Integer> batchSizes = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch firstBatchEntered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try (GroupCommitter c = new GroupCommitter("t", 1, 100, Duration.ZERO, 1000, batch -> {
            batchSizes.add(batch.size());
            firstBatchEntered.countDown();
            await(release);
            return batch.stream().map(GroupCommitterTest::echo).toList();
        })) {
            CompletableFuture<PostResult> first = c.submit(request("k0"));
            assertThat(firstBatchEntered.await(5, TimeUnit.SECONDS)).isTrue();
            List<CompletableFuture<PostResult>> rest = new ArrayList<>();
            for (int i = 1; i <= 50; i++) {
                rest.add(c.submit(request("k" + i)));
            }
            release.countDown();
            assertThat(first.get(5, TimeUnit.SECONDS)).isEqualTo(echo(request("k0")));
            for (int i = 1; i <= 50; i++) {
                assertThat(((PostResult.Rejected) rest.get(i - 1).get(5, TimeUnit.SECONDS)).detail()).isEqualTo("k" + i);
            }
            // The lone first request went out alone at once; the 50 queued behind it went as one batch.
            assertThat(batchSizes).containsExactly(1, 50);
        }
    }

    @Test
    void aFailedBatchIsRetriedEntryByEntrySoOnlyTheBadEntryFails() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        CountDownLatch gate = new CountDownLatch(1);
        try (GroupCommitter c = new GroupCommitter("t", 1, 100, Duration.ZERO, 1000, batch -> {
            calls.incrementAndGet();
            await(gate);
            if (batch.stream().anyMatch(r -> r.idempotencyKey().equals("poison"))) {
                throw new LedgerException("storage refused the batch");
            }
            return batch.stream().map(GroupCommitterTest::echo).toList();
        })) {
            CompletableFuture<PostResult> blocker = c.submit(request("first"));
            List<CompletableFuture<PostResult>> futures = new ArrayList<>();
            futures.add(c.submit(request("a")));
            futures.add(c.submit(request("poison")));
            futures.add(c.submit(request("b")));
            gate.countDown();
            assertThat(blocker.get(5, TimeUnit.SECONDS)).isNotNull();
            assertThat(futures.get(0).get(5, TimeUnit.SECONDS)).isEqualTo(echo(request("a")));
            assertThat(futures.get(2).get(5, TimeUnit.SECONDS)).isEqualTo(echo(request("b")));
            assertThat(futures.get(1)).failsWithin(Duration.ofSeconds(5)).withThrowableThat()
                    .havingCause().isInstanceOf(LedgerException.class);
        }
    }

    @Test
    void closeWritesWhatIsQueuedAndRefusesNewEntries() throws Exception {
        GroupCommitter c = new GroupCommitter("t", 2, 10, Duration.ofMillis(5), 1000,
                batch -> batch.stream().map(GroupCommitterTest::echo).toList());
        List<CompletableFuture<PostResult>> queued = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            queued.add(c.submit(request("q" + i)));
        }
        c.close();
        for (CompletableFuture<PostResult> f : queued) {
            assertThat(f).isCompleted();
        }
        assertThat(c.submit(request("late"))).isCompletedExceptionally();
    }

    /**
     * The idle work runs only once the queue has been quiet after a batch, step by step until it
     * says it is done, and not again until the next batch; an entry arriving while it runs is
     * written after the step in progress, not after the rest of the work.
     */
    @Test
    void idleWorkRunsAfterAQuietBatchStepByStepAndGivesWayToANewEntry() throws Exception {
        AtomicInteger steps = new AtomicInteger();
        AtomicInteger left = new AtomicInteger(10);
        CountDownLatch stepStarted = new CountDownLatch(1);
        try (GroupCommitter c = new GroupCommitter("t", 1, 100, Duration.ZERO, 1000,
                batch -> batch.stream().map(GroupCommitterTest::echo).toList(),
                new CycleClock(3), Duration.ofMillis(20), () -> {
                    steps.incrementAndGet();
                    stepStarted.countDown();
                    sleepQuietly(100);
                    return left.decrementAndGet() > 0;
                })) {
            Thread.sleep(100);
            // No batch yet, nothing to do.
            assertThat(steps.get()).isZero();
            c.submit(request("a")).get(5, TimeUnit.SECONDS);
            assertThat(stepStarted.await(5, TimeUnit.SECONDS)).isTrue();
            // Arrives during a step of 100 ms: written once that step ends, not after the nine others.
            long t0 = System.nanoTime();
            c.submit(request("b")).get(5, TimeUnit.SECONDS);
            long waitedMs = (System.nanoTime() - t0) / 1_000_000;
            assertThat(steps.get()).isLessThan(5);
            assertThat(waitedMs).isLessThan(500);
            // After the second batch the work goes on until done, and then stops.
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (left.get() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(left.get()).isZero();
            int done = steps.get();
            Thread.sleep(150);
            assertThat(steps.get()).isEqualTo(done);
        }
    }

    @Test
    void noIdleWorkWhileEntriesKeepComing() throws Exception {
        AtomicInteger steps = new AtomicInteger();
        try (GroupCommitter c = new GroupCommitter("t", 1, 100, Duration.ZERO, 1000,
                batch -> batch.stream().map(GroupCommitterTest::echo).toList(),
                new CycleClock(3), Duration.ofMillis(200), () -> {
                    steps.incrementAndGet();
                    return false;
                })) {
            // An entry every few milliseconds: the queue is never quiet for 200 ms.
            for (int i = 0; i < 60; i++) {
                c.submit(request("k" + i)).get(5, TimeUnit.SECONDS);
                Thread.sleep(5);
            }
            assertThat(steps.get()).isZero();
            Thread.sleep(600);
            assertThat(steps.get()).isEqualTo(1);
        }
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
