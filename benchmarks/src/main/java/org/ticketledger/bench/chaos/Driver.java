package org.ticketledger.bench.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.ticketledger.bench.http.AppProcess;
import org.ticketledger.bench.http.PlatformClient;
import org.ticketledger.bench.http.Sandboxes;
import org.ticketledger.ledger.Money;

/**
 * The distributors' side of the run: workers place orders (a share by distributors whose balance
 * is short: they top up after the SMS and re-apply), refund some tickets, redeem others, and keep
 * asking about orders the platform has not finished yet. Every call is repeated through crashes
 * and outages with the same Idempotency-Key. What the platform answered is kept for the audit.
 * Thread-safe.
 */
final class Driver {

    static final String BASE = "/distributor/v1";
    /** After this long on a key claimed by a request that died with the app, go on under a new key. */
    private static final Duration REKEY = Duration.ofSeconds(3);

    /** One order as the distributor knows it. */
    static final class Track {
        final String ref;
        final Business.Dist dist;
        final Business.Product product;
        final int quantity;
        volatile String orderId;
        volatile String state = "NEW";
        volatile Money total;
        volatile boolean wentShort;
        /** The platform answered ISSUED at some point: the order must stay issued, whatever happens next. */
        volatile boolean acknowledgedIssued;
        final List<String> tickets = new CopyOnWriteArrayList<>();
        /** Ticket id to the code its QR carries. */
        final Map<String, String> codes = new ConcurrentHashMap<>();
        int reapplies;

        Track(String ref, Business.Dist dist, Business.Product product, int quantity) {
            this.ref = ref;
            this.dist = dist;
            this.product = product;
            this.quantity = quantity;
        }

        boolean isFinal() {
            return state.equals("ISSUED") || state.equals("FAILED");
        }
    }

    private final ChaosOptions options;
    private final Business business;
    private final Sandboxes rails;
    private final Faults faults;
    private final PrintStream log;
    private final java.util.Optional<Gates> gates;
    /** "ticket|spot" of every visitor a gate admitted (online, or offline and synced later). */
    final java.util.Set<String> admitted = ConcurrentHashMap.newKeySet();
    private final AtomicInteger next = new AtomicInteger();
    private final AtomicInteger done = new AtomicInteger();
    final Map<String, Track> tracks = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<Track> pending = new ConcurrentLinkedQueue<>();
    final AtomicLong shortOrders = new AtomicLong();
    final AtomicLong refunds = new AtomicLong();
    final AtomicLong refundsAnsweredOnRetry = new AtomicLong();
    final AtomicLong redemptions = new AtomicLong();
    final AtomicLong comboOrders = new AtomicLong();
    /** Answers the harness did not expect (each is a finding of the audit). */
    final List<String> unexpected = new CopyOnWriteArrayList<>();
    private volatile boolean draining;
    private volatile long drainDeadline;

    Driver(ChaosOptions options, Business business, Sandboxes rails, Faults faults, java.util.Optional<Gates> gates, PrintStream log) {
        this.options = options;
        this.gates = gates;
        this.business = business;
        this.rails = rails;
        this.faults = faults;
        this.log = log;
    }

    /** Share of orders concluded or handed to the follower, 0..1. */
    double progress() {
        return Math.min(1.0, done.get() / (double) options.orders());
    }

    /** Runs the workers to the last order; returns with orders possibly still pending (see {@link #drain}). */
    void drive() {
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < options.workers(); w++) {
            int worker = w;
            Thread t = new Thread(() -> work(worker), "chaos-worker-" + w);
            t.setDaemon(true);
            threads.add(t);
        }
        Thread follower = new Thread(this::follow, "chaos-follower");
        follower.setDaemon(true);
        follower.start();
        long t0 = System.nanoTime();
        threads.forEach(Thread::start);
        Thread reporter = new Thread(() -> {
            while (!draining) {
                AppProcess.sleep(5000);
                log.printf("chaos: %5.1f %% of orders, %d pending, %.0f s%n", progress() * 100, pending.size(),
                        (System.nanoTime() - t0) / 1e9);
            }
        }, "chaos-progress");
        reporter.setDaemon(true);
        reporter.start();
        gates.ifPresent(g -> {
            Thread syncer = new Thread(() -> {
                while (!draining) {
                    AppProcess.sleep(2000);
                    g.syncAll();
                }
            }, "chaos-gate-sync");
            syncer.setDaemon(true);
            syncer.start();
        });
        for (Thread t : threads) {
            join(t);
        }
        drainDeadline = System.nanoTime() + options.settleTimeout().toNanos();
        draining = true;
        join(follower);
    }

    private static void join(Thread t) {
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private void work(int worker) {
        Random rnd = new Random(options.seed() * 31 + worker);
        int i;
        while ((i = next.getAndIncrement()) < options.orders()) {
            try {
                boolean poor = rnd.nextDouble() < options.shortRate();
                Business.Dist d = poor ? business.poor.get(worker) : business.rich.get(rnd.nextInt(business.rich.size()));
                // One order in four is a combo (the last products are the combos).
                List<Business.Product> singles = business.products.stream().filter(x -> !x.combo()).toList();
                List<Business.Product> combos = business.products.stream().filter(Business.Product::combo).toList();
                Business.Product p = !combos.isEmpty() && rnd.nextInt(4) == 0 ? combos.get(rnd.nextInt(combos.size()))
                        : singles.get(rnd.nextInt(singles.size()));
                Track t = new Track("C" + i, d, p, 1 + rnd.nextInt(3));
                tracks.put(t.ref, t);
                place(t, rnd);
                if (t.product.combo()) {
                    comboOrders.incrementAndGet();
                }
                if (!t.isFinal() && t.orderId != null) {
                    if (poor) {
                        // The worker's own short distributor: finish before its next order, so top-ups never race.
                        followInline(t, rnd);
                    } else {
                        pending.add(t);
                    }
                }
                done.incrementAndGet();
                boolean refunded = false;
                if (t.state.equals("ISSUED") && !t.tickets.isEmpty() && rnd.nextDouble() < options.refundRate()) {
                    refund(t, t.tickets.get(0), rnd);
                    refunded = true;
                }
                if (t.state.equals("ISSUED") && gates.isPresent()) {
                    for (int k = refunded ? 1 : 0; k < t.tickets.size(); k++) {
                        for (String spotId : t.product.spotIds()) {
                            if (rnd.nextDouble() < options.redeemRate()) {
                                redeem(t, t.tickets.get(k), spotId, rnd);
                            }
                        }
                    }
                }
            } catch (RuntimeException e) {
                unexpected.add("order C" + i + ": " + e.getMessage());
                done.incrementAndGet();
            }
        }
    }

    private void place(Track t, Random rnd) {
        faults.maybeArm(t.dist.rail(), Faults.Op.COLLECT, rnd);
        if (t.product.combo()) {
            faults.maybeArm(t.dist.rail(), Faults.Op.INVEST, rnd);
        }
        ObjectNode body = PlatformClient.JSON.createObjectNode().put("distributorOrderId", t.ref)
                .put("productId", t.product.id()).put("visitDate", Business.today().toString())
                .put("quantity", t.quantity).put("unitPrice", t.product.price());
        PlatformClient.Reply r = t.dist.api().post(BASE + "/orders", body, "ord-" + t.ref, REKEY);
        absorb(t, r);
        if (t.state.equals("AWAITING_TOPUP")) {
            topUpAndReapply(t, rnd);
        }
    }

    /** Takes in an answer about the order (create, reapply or get). */
    private void absorb(Track t, PlatformClient.Reply r) {
        if (r.status() == 200 || r.status() == 201 || r.status() == 202) {
            JsonNode o = r.json();
            t.orderId = o.path("id").asText();
            t.total = Money.parseCny(o.path("total").asText());
            t.state = o.path("state").asText();
            if (t.state.equals("ISSUED")) {
                t.acknowledgedIssued = true;
                if (t.tickets.isEmpty()) {
                    for (JsonNode k : o.path("tickets")) {
                        t.tickets.add(k.path("id").asText());
                        t.codes.put(k.path("id").asText(), k.path("code").asText());
                    }
                }
            }
        } else {
            unexpected.add("order " + t.ref + " (" + t.orderId + "): " + r.status() + " " + r.body());
            t.state = "REFUSED";
        }
    }

    private void topUpAndReapply(Track t, Random rnd) {
        while (t.state.equals("AWAITING_TOPUP")) {
            if (!t.wentShort) {
                t.wentShort = true;
                shortOrders.incrementAndGet();
            }
            // The SMS said the balance is short: the distributor transfers the order's total and re-applies.
            Business.topUp(rails, t.dist, t.total);
            faults.maybeArm(t.dist.rail(), Faults.Op.COLLECT, rnd);
            t.reapplies++;
            PlatformClient.Reply r = t.dist.api().post(BASE + "/orders/" + t.orderId + "/reapply", null,
                    "re-" + t.ref + "-" + t.reapplies, REKEY);
            if (r.status() == 409) {
                refresh(t); // no longer awaiting a top-up (an earlier attempt got through)
            } else {
                absorb(t, r);
            }
        }
    }

    private void refresh(Track t) {
        absorb(t, t.dist.api().get(BASE + "/orders/" + t.orderId));
    }

    private void followInline(Track t, Random rnd) {
        long deadline = System.nanoTime() + options.settleTimeout().toNanos();
        while (!t.isFinal() && !t.state.equals("REFUSED") && System.nanoTime() < deadline) {
            AppProcess.sleep(200);
            refresh(t);
            if (t.state.equals("AWAITING_TOPUP")) {
                topUpAndReapply(t, rnd);
            }
        }
    }

    /** Asks about unfinished orders until the platform finishes them (and, once draining, until none is left). */
    private void follow() {
        Random rnd = new Random(options.seed() ^ 0x5eed);
        while (!draining || (!pending.isEmpty() && System.nanoTime() < drainDeadline)) {
            for (Track t : List.copyOf(pending)) {
                try {
                    refresh(t);
                    if (t.state.equals("AWAITING_TOPUP")) {
                        topUpAndReapply(t, rnd);
                    }
                    if (t.isFinal() || t.state.equals("REFUSED")) {
                        pending.remove(t);
                    }
                } catch (RuntimeException e) {
                    log.println("chaos: following " + t.ref + ": " + e.getMessage());
                }
            }
            AppProcess.sleep(250);
        }
    }

    /** Orders not finished yet. */
    int pending() {
        return pending.size();
    }

    private void refund(Track t, String ticketId, Random rnd) {
        faults.maybeArm(t.dist.rail(), Faults.Op.PAYOUT, rnd);
        if (t.product.combo()) {
            faults.maybeArm(t.dist.rail(), Faults.Op.WITHDRAW, rnd);
        }
        PlatformClient.Reply r = t.dist.api().post(BASE + "/tickets/" + ticketId + "/refund",
                PlatformClient.JSON.createObjectNode().put("reason", "chaos refund"), "rf-" + ticketId, REKEY);
        if (r.status() == 200) {
            refunds.incrementAndGet();
        } else if (r.status() == 409 && r.problem().equals("ticket-refunded")) {
            // The first attempt refunded it and died before its answer was stored: the retry is told so.
            refunds.incrementAndGet();
            refundsAnsweredOnRetry.incrementAndGet();
        } else {
            unexpected.add("refund of " + ticketId + ": " + r.status() + " " + r.body());
        }
    }

    private void redeem(Track t, String ticketId, String spotId, Random rnd) {
        Business.Spot spot = business.spots.stream().filter(s -> s.id().equals(spotId)).findFirst().orElseThrow();
        faults.maybeArm(spot.rail(), Faults.Op.PAYOUT, rnd);
        if (t.product.combo()) {
            faults.maybeArm(spot.rail(), Faults.Op.WITHDRAW, rnd);
        }
        try {
            if (gates.get().redeem(spot.id(), t.codes.get(ticketId), options.settleTimeout())) {
                admitted.add(ticketId + "|" + spot.id());
                redemptions.incrementAndGet();
            }
        } catch (RuntimeException e) {
            unexpected.add("redeem " + ticketId + " at " + spot.id() + ": " + e.getMessage());
        }
    }

    Duration patience() {
        return options.settleTimeout();
    }
}
