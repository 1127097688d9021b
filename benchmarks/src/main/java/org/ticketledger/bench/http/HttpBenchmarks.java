package org.ticketledger.bench.http;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.ticketledger.bench.BenchOptions;
import org.ticketledger.bench.BenchResult;
import org.ticketledger.bench.Latencies;
import org.ticketledger.example.auth.RequestSigning;

/**
 * End-to-end load through the platform's HTTP API, the app running as its own JVM (shaded jar,
 * embedded PostgreSQL with durable commits, the Huijinbao sandbox as its rail):
 * <ul>
 *   <li>{@code issue-http}: orders (one ticket each) through the signed distributor API: signature
 *       and nonce check, idempotency record, the charge on Huijinbao, the ledger entry, the ticket
 *       and its signed code; and, in the same run, {@code noop-http}: the authenticated, idempotent
 *       {@code POST /distributor/v1/ping} on the same stack, the ceiling of the HTTP and auth layers.</li>
 *   <li>{@code redeem-http}: online redemption through the device API with the real device SDK:
 *       tickets are issued first, then gates (one per thread group) redeem them.</li>
 * </ul>
 * Options: {@code --seconds N} (measured), {@code --warmup N} (default 10), {@code --concurrency N}
 * (default 8), {@code --jfr FILE} (a flight recording of the app), {@code --app-jar JAR}. Each
 * result line carries the load average, since the machine may be shared.
 */
public final class HttpBenchmarks {

    private HttpBenchmarks() {
    }

    /** Measured closed-loop load: throughput and latencies. */
    record Load(double opsPerSecond, double p50Millis, double p99Millis, long errors, long ops, String lastError) {
    }

    interface Call {
        /** One operation on the thread's own connection; returns whether it succeeded. */
        boolean run(LeanHttp http, int thread, long n) throws IOException;
    }

    static Load measure(LeanHttp[] conns, Call call, int seconds, AtomicLong sequence) {
        int threads = conns.length;
        List<Latencies> lat = new ArrayList<>();
        AtomicLong errors = new AtomicLong();
        AtomicLong ops = new AtomicLong();
        String[] lastError = {""};
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        List<Thread> ts = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            Latencies l = new Latencies();
            lat.add(l);
            int t = i;
            Thread th = new Thread(() -> {
                while (System.nanoTime() < end) {
                    long n = sequence.incrementAndGet();
                    long t0 = System.nanoTime();
                    try {
                        if (call.run(conns[t], t, n)) {
                            l.record(System.nanoTime() - t0);
                            ops.incrementAndGet();
                        } else {
                            errors.incrementAndGet();
                        }
                    } catch (IOException | RuntimeException e) {
                        if ("out of tickets".equals(e.getMessage())) {
                            break;
                        }
                        errors.incrementAndGet();
                        lastError[0] = e.toString();
                    }
                }
            }, "load-" + i);
            ts.add(th);
        }
        long t0 = System.nanoTime();
        ts.forEach(Thread::start);
        for (Thread th : ts) {
            try {
                th.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        double elapsed = (System.nanoTime() - t0) / 1e9;
        long[] sorted = Latencies.merge(lat);
        return new Load(ops.get() / elapsed, Latencies.percentileMillis(sorted, 0.50), Latencies.percentileMillis(sorted, 0.99),
                errors.get(), ops.get(), lastError[0]);
    }

    static Map<String, String> signed(HttpStack.Key k, String method, String path, byte[] body, String idempotencyKey) {
        Map<String, String> h = new LinkedHashMap<>(RequestSigning.headers(k.keyId(), k.secret(), method, path,
                System.currentTimeMillis() / 1000, RequestSigning.newNonce(), body));
        h.put("Content-Type", "application/json");
        h.put("Idempotency-Key", idempotencyKey);
        return h;
    }

    static List<String> jvmOptions(BenchOptions o) {
        List<String> jvm = new ArrayList<>();
        Optional.ofNullable(o.extra().get("jfr")).ifPresent(f ->
                jvm.add("-XX:StartFlightRecording=filename=" + f + ",settings=profile,dumponexit=true"));
        Optional.ofNullable(o.extra().get("app-jvm")).ifPresent(s -> jvm.addAll(List.of(s.split(" "))));
        return jvm;
    }

    static LeanHttp[] connections(HttpStack stack, int n) {
        LeanHttp[] c = new LeanHttp[n];
        for (int i = 0; i < n; i++) {
            c[i] = new LeanHttp(stack.app().base());
        }
        return c;
    }

    /** {@code ./bench issue-http}: prints an issue-http and a noop-http line. */
    public static void issue(BenchOptions o, PrintStream out) {
        int concurrency = o.intOption("concurrency", 8);
        int warmup = o.intOption("warmup", 10);
        try (HttpStack stack = HttpStack.start(Optional.ofNullable(o.extra().get("app-jar")), jvmOptions(o), 8, System.err)) {
            LeanHttp[] conns = connections(stack, concurrency);
            AtomicLong seq = new AtomicLong();
            String today = HttpStack.today().toString();
            Call noop = (http, t, n) -> {
                HttpStack.Key k = stack.keys().get(t % stack.keys().size());
                byte[] body = "{\"echo\":\"bench\"}".getBytes(StandardCharsets.UTF_8);
                return http.send("POST", "/distributor/v1/ping", signed(k, "POST", "/distributor/v1/ping", body, "np-" + n), body)
                        .status() == 200;
            };
            Call issue = (http, t, n) -> {
                HttpStack.Key k = stack.keys().get(t % stack.keys().size());
                byte[] body = ("{\"distributorOrderId\":\"B-" + n + "\",\"productId\":\"" + stack.productId() + "\",\"visitDate\":\""
                        + today + "\",\"quantity\":1,\"unitPrice\":\"100.00\"}").getBytes(StandardCharsets.UTF_8);
                LeanHttp.Answer a = http.send("POST", "/distributor/v1/orders", signed(k, "POST", "/distributor/v1/orders", body, "o-" + n), body);
                return a.status() == 201;
            };
            System.err.println("bench: warming up " + warmup + " s each");
            measure(conns, noop, Math.max(1, warmup / 2), seq);
            measure(conns, issue, warmup, seq);
            String loadBefore = loadAverage();
            Load n = measure(conns, noop, o.seconds(), seq);
            Load i = measure(conns, issue, o.seconds(), seq);
            String load = loadAverage();
            out.println(new BenchResult("issue-http", i.opsPerSecond(), i.p50Millis(), i.p99Millis(), i.errors())
                    .with("concurrency", concurrency).with("orders", i.ops()).with("ratio_vs_noop", i.opsPerSecond() / n.opsPerSecond())
                    .with("rail", "huijinbao-sandbox").with("fsync", true).with("load_average", load)
                    .with("last_error", i.lastError()).toJson());
            out.println(new BenchResult("noop-http", n.opsPerSecond(), n.p50Millis(), n.p99Millis(), n.errors())
                    .with("concurrency", concurrency).with("requests", n.ops()).with("load_average", loadBefore)
                    .with("last_error", n.lastError()).toJson());
            for (LeanHttp c : conns) {
                c.close();
            }
        }
    }

    static String loadAverage() {
        try {
            String[] p = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).trim().split(" ");
            return p[0] + " " + p[1] + " " + p[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    /**
     * {@code ./bench redeem-http}: issues {@code --tickets N} tickets (orders of 100), provisions
     * {@code --devices N} gates at the spot with the real device SDK (in-memory device state, a
     * keep-alive transport), then {@code --concurrency} threads redeem online, one code each time.
     */
    public static void redeem(BenchOptions o, PrintStream out) {
        int concurrency = o.intOption("concurrency", 8);
        int warmup = o.intOption("warmup", 10);
        int devices = o.intOption("devices", 4);
        int tickets = o.intOption("tickets", 30_000);
        try (HttpStack stack = HttpStack.start(Optional.ofNullable(o.extra().get("app-jar")), jvmOptions(o), 8, System.err)) {
            ConcurrentLinkedQueue<String> codes = new ConcurrentLinkedQueue<>();
            LeanHttp[] conns = connections(stack, 8);
            AtomicLong seq = new AtomicLong();
            String today = HttpStack.today().toString();
            long t0 = System.nanoTime();
            AtomicLong orders = new AtomicLong((tickets + 99) / 100);
            Call issue = (http, t, n) -> {
                if (orders.getAndDecrement() <= 0) {
                    return true;
                }
                HttpStack.Key k = stack.keys().get(t % stack.keys().size());
                byte[] body = ("{\"distributorOrderId\":\"R-" + n + "\",\"productId\":\"" + stack.productId() + "\",\"visitDate\":\""
                        + today + "\",\"quantity\":100,\"unitPrice\":\"100.00\"}").getBytes(StandardCharsets.UTF_8);
                LeanHttp.Answer a = http.send("POST", "/distributor/v1/orders", signed(k, "POST", "/distributor/v1/orders", body, "r-" + n), body);
                if (a.status() != 201) {
                    return false;
                }
                for (com.fasterxml.jackson.databind.JsonNode tk : PlatformClient.JSON.readTree(a.body()).path("tickets")) {
                    codes.add(tk.path("code").asText());
                }
                return true;
            };
            while (orders.get() > 0) {
                measure(conns, issue, 5, seq);
            }
            System.err.printf("bench: %d tickets issued in %.0f s%n", codes.size(), (System.nanoTime() - t0) / 1e9);
            for (LeanHttp c : conns) {
                c.close();
            }

            List<org.ticketledger.verify.VerifierClient> gates = Gates.open(stack, devices);
            try {
                Call redeem = (http, t, n) -> {
                    String code = codes.poll();
                    if (code == null) {
                        throw new IllegalStateException("out of tickets");
                    }
                    org.ticketledger.verify.RedeemResult r = gates.get(t % gates.size()).redeem(code);
                    return r.admits() && r.mode() == org.ticketledger.verify.RedeemResult.Mode.ONLINE;
                };
                LeanHttp[] none = new LeanHttp[concurrency];
                System.err.println("bench: warming up " + warmup + " s");
                measure(none, redeem, warmup, seq);
                Load r = measure(none, redeem, o.seconds(), seq);
                out.println(new BenchResult("redeem-http", r.opsPerSecond(), r.p50Millis(), r.p99Millis(), r.errors())
                        .with("concurrency", concurrency).with("devices", devices).with("redemptions", r.ops())
                        .with("tickets_left", codes.size()).with("fsync", true).with("load_average", loadAverage())
                        .with("last_error", r.lastError()).toJson());
            } finally {
                gates.forEach(org.ticketledger.verify.VerifierClient::close);
            }
        }
    }

    /** Gate devices at the benchmark's spot, provisioned, logged in and synced. */
    static final class Gates {
        private Gates() {
        }

        static List<org.ticketledger.verify.VerifierClient> open(HttpStack stack, int n) {
            com.fasterxml.jackson.databind.node.ObjectNode op = PlatformClient.JSON.createObjectNode().put("username", "bench.gate")
                    .put("name", "Bench Gate").put("password", "bench gate password");
            op.putArray("spotIds").add(stack.spotId());
            stack.admin().admin("POST", "/admin/v1/operators", op).expect(201);
            List<org.ticketledger.verify.VerifierClient> gates = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                String qr = stack.admin().admin("POST", "/admin/v1/devices/provisioning-tokens", PlatformClient.JSON.createObjectNode()
                        .put("spotId", stack.spotId()).put("gate", "Gate " + i)).expect(201).json().path("qrText").asText();
                org.ticketledger.verify.VerifierClient g = org.ticketledger.verify.VerifierClient.builder()
                        .serverUrl(stack.app().base()).stateStore(org.ticketledger.verify.spi.StateStore.inMemory())
                        .scanJournal(org.ticketledger.verify.spi.ScanJournal.inMemory()).transport(new LeanTransport(stack.app().base()))
                        .zone(HttpStack.ZONE).build();
                gates.add(g);
                if (!(g.provision(qr) instanceof org.ticketledger.verify.ProvisionResult.Provisioned)
                        || !(g.login(org.ticketledger.verify.OperatorCredentials.password("bench.gate", "bench gate password"))
                        instanceof org.ticketledger.verify.LoginResult.LoggedIn)) {
                    throw new IllegalStateException("gate " + i + " could not be provisioned or logged in");
                }
                g.sync();
            }
            return gates;
        }
    }
}
