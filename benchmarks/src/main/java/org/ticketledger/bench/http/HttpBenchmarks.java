package org.ticketledger.bench.http;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.ticketledger.bench.BenchOptions;
import org.ticketledger.bench.BenchResult;
import org.ticketledger.bench.Latencies;
import org.ticketledger.bench.ProcessCpu;
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
 * (default 8), {@code --jfr FILE} (a flight recording of the app), {@code --app-jar JAR}; issue-http
 * also {@code --noop-first true} (noop measured before the order path's warm-up) and
 * {@code --noop-seconds N} (default {@code --seconds}). Each result line carries the load average,
 * since the machine may be shared.
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
        joinAll(ts);
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
            // By default both warm-ups run first, then the noop and the order measurements. The
            // order path then waits through the noop phase wherever the JIT left it: after a 60 s
            // warm-up on the shared 2 cores its main methods were still tier-2 code (compiled so
            // while C2's queue was long) and reached C2 4-6 minutes after start, inside the measured
            // window. --noop-first true measures noop first and warms the order path right before
            // its measurement, so that the order figure follows its own warm-up.
            boolean noopFirst = o.booleanOption("noop-first", false);
            int noopSeconds = o.intOption("noop-seconds", o.seconds());
            System.err.println("bench: warming up " + warmup + " s each" + (noopFirst ? " (noop measured first)" : ""));
            measure(conns, noop, Math.max(1, warmup / 2), seq);
            String loadBefore;
            Load n;
            if (noopFirst) {
                loadBefore = loadAverage();
                n = measure(conns, noop, noopSeconds, seq);
                measure(conns, issue, warmup, seq);
            } else {
                measure(conns, issue, warmup, seq);
                loadBefore = loadAverage();
                n = measure(conns, noop, noopSeconds, seq);
            }
            Optional<AppCpu> cpuBefore = AppCpu.of(stack.app().pid());
            Load i = measure(conns, issue, o.seconds(), seq);
            Optional<AppCpu> cpuAfter = AppCpu.of(stack.app().pid());
            String load = loadAverage();
            BenchResult issued = new BenchResult("issue-http", i.opsPerSecond(), i.p50Millis(), i.p99Millis(), i.errors())
                    .with("concurrency", concurrency).with("orders", i.ops()).with("ratio_vs_noop", i.opsPerSecond() / n.opsPerSecond())
                    .with("rail", "huijinbao-sandbox").with("fsync", true).with("warmup_s", warmup).with("noop_first", noopFirst)
                    .with("load_average", load);
            if (cpuBefore.isPresent() && cpuAfter.isPresent() && i.ops() > 0) {
                issued = AppCpu.fields(issued, cpuBefore.get(), cpuAfter.get(), i.ops(), "order");
            }
            out.println(issued.with("last_error", i.lastError()).toJson());
            out.println(new BenchResult("noop-http", n.opsPerSecond(), n.p50Millis(), n.p99Millis(), n.errors())
                    .with("concurrency", concurrency).with("requests", n.ops()).with("load_average", loadBefore)
                    .with("last_error", n.lastError()).toJson());
            for (LeanHttp c : conns) {
                c.close();
            }
        }
    }

    /**
     * CPU time of the app process so far, from {@code /proc} (Linux; assumes the usual 100 clock
     * ticks per second): all its threads, and the JIT compiler threads among them.
     */
    record AppCpu(long totalMillis, long jitMillis) {
        static Optional<AppCpu> of(Optional<Long> pid) {
            if (pid.isEmpty()) {
                return Optional.empty();
            }
            long[] t = ProcessCpu.threadMillis(Path.of("/proc", pid.get().toString(), "task"));
            return t == null ? Optional.empty() : Optional.of(new AppCpu(t[0], t[1]));
        }

        /**
         * What the app spent per operation between {@code before} and {@code after}, the JIT
         * compilers' share of it, and the rest without them. A large JIT share means the app was
         * not warm yet; the CPU without the JIT is what a change to the code path costs or saves
         * (the JIT's part moves with how far compilation has got, by ±0.1 of the total between runs).
         */
        static BenchResult fields(BenchResult r, AppCpu before, AppCpu after, long ops, String op) {
            long total = after.totalMillis() - before.totalMillis();
            long jit = after.jitMillis() - before.jitMillis();
            return r.with("app_cpu_ms_per_" + op, Math.round(total * 1000.0 / ops) / 1000.0)
                    .with("app_jit_cpu_share", total == 0 ? 0.0 : Math.round(jit * 100.0 / total) / 100.0)
                    .with("app_cpu_ms_per_" + op + "_without_jit", Math.round((total - jit) * 1000.0 / ops) / 1000.0);
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
     *
     * <p>A real gate signs its scan record on its own hardware; here every gate would sign in this
     * JVM, on the machine the server measures on. So by default the records are built and signed
     * with each gate's own key before the timed phase ({@code "device_signing": "pre-signed"}) and
     * the timed phase posts them to {@code POST /device/v1/redeem} with the gate's session, exactly
     * the bytes the SDK sends. {@code --presign false} measures through {@code VerifierClient.redeem}
     * instead (decode, sign and post in the timed phase: {@code "device_signing": "in-loop"}).
     */
    public static void redeem(BenchOptions o, PrintStream out) {
        int concurrency = o.intOption("concurrency", 8);
        int warmup = o.intOption("warmup", 10);
        int devices = o.intOption("devices", 4);
        // Enough for --warmup 30 --seconds 30 at ~1,000/s: a run that runs out of codes measures nothing.
        int tickets = o.intOption("tickets", 60_000);
        boolean presign = !"false".equals(o.extra().get("presign"));
        try (HttpStack stack = HttpStack.start(Optional.ofNullable(o.extra().get("app-jar")), jvmOptions(o), 8, System.err)) {
            if ("true".equals(o.extra().get("pg-statements"))) {
                PgStats.preloadStatements(stack);
            }
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

            List<Gate> gates = Gates.open(stack, devices);
            try {
                Call redeem;
                LeanHttp[] loadConns;
                if (presign) {
                    long s0 = System.nanoTime();
                    ConcurrentLinkedQueue<Signed> records = Gates.presign(gates, codes, concurrency);
                    System.err.printf("bench: %d scan records signed by %d gates in %.0f s (before timing)%n", records.size(),
                            gates.size(), (System.nanoTime() - s0) / 1e9);
                    codes.clear();
                    redeem = (http, t, n) -> {
                        Signed r = records.poll();
                        if (r == null) {
                            throw new IllegalStateException("out of tickets");
                        }
                        LeanHttp.Answer a = http.send("POST", "/device/v1/redeem", r.headers(), r.body());
                        return a.status() == 200 && REDEEMED.matcher(a.text()).find();
                    };
                    loadConns = connections(stack, concurrency);
                    redeemRun(o, out, stack, concurrency, warmup, devices, redeem, loadConns, seq, "pre-signed", records::size);
                    for (LeanHttp c : loadConns) {
                        c.close();
                    }
                } else {
                    redeem = (http, t, n) -> {
                        String code = codes.poll();
                        if (code == null) {
                            throw new IllegalStateException("out of tickets");
                        }
                        org.ticketledger.verify.RedeemResult r = gates.get(t % gates.size()).client().redeem(code);
                        return r.admits() && r.mode() == org.ticketledger.verify.RedeemResult.Mode.ONLINE;
                    };
                    redeemRun(o, out, stack, concurrency, warmup, devices, redeem, new LeanHttp[concurrency], seq, "in-loop", codes::size);
                }
            } finally {
                gates.forEach(g -> g.client().close());
            }
        }
    }

    private static final java.util.regex.Pattern REDEEMED = java.util.regex.Pattern.compile("\"outcome\"\\s*:\\s*\"REDEEMED\"");

    private static void redeemRun(BenchOptions o, PrintStream out, HttpStack stack, int concurrency, int warmup, int devices,
                                  Call redeem, LeanHttp[] conns, AtomicLong seq, String signing, java.util.function.IntSupplier left) {
        System.err.println("bench: warming up " + warmup + " s");
        measure(conns, redeem, warmup, seq);
        Optional<PgStats> stats = PgStats.open(stack.dir());
        Optional<PgStats.Snapshot> statsBefore = stats.flatMap(PgStats::beginQuietly);
        Optional<AppCpu> appBefore = AppCpu.of(stack.app().pid());
        OptionalLong pgBefore = pgCpuMillis(stack.dir());
        Load r = measure(conns, redeem, o.seconds(), seq);
        Optional<AppCpu> appAfter = AppCpu.of(stack.app().pid());
        OptionalLong pgAfter = pgCpuMillis(stack.dir());
        OptionalDouble ticketsPkey = OptionalDouble.empty();
        if (stats.isPresent() && statsBefore.isPresent()) {
            ticketsPkey = stats.get().endQuietly(statsBefore.get(), r.ops(), System.err);
            stats.get().close();
        }
        BenchResult result = new BenchResult("redeem-http", r.opsPerSecond(), r.p50Millis(), r.p99Millis(), r.errors())
                .with("concurrency", concurrency).with("devices", devices).with("redemptions", r.ops())
                .with("device_signing", signing).with("tickets_left", left.getAsInt()).with("fsync", true);
        // CPU per redemption while measured: throughput on a shared machine swings by a third between
        // minutes, the CPU each redemption costs the app and PostgreSQL much less. Both include the
        // payout job that runs beside the load (it pays and books what the redemptions create).
        if (r.ops() > 0 && appBefore.isPresent() && appAfter.isPresent()) {
            result = AppCpu.fields(result, appBefore.get(), appAfter.get(), r.ops(), "redemption");
        }
        if (r.ops() > 0 && pgBefore.isPresent() && pgAfter.isPresent()) {
            result = result.with("pg_cpu_ms_per_redemption",
                    Math.round((pgAfter.getAsLong() - pgBefore.getAsLong()) * 1000.0 / r.ops()) / 1000.0);
        }
        if (ticketsPkey.isPresent()) {
            // The index tuples tickets' primary key returned to all scans, per redemption (issue #12).
            result = result.with("tickets_pkey_tup_read_per_redemption", ticketsPkey.getAsDouble());
        }
        out.println(result.with("load_average", loadAverage()).with("last_error", r.lastError()).toJson());
    }

    /**
     * CPU time so far of the app's embedded PostgreSQL (Linux {@code /proc}, 100 ticks per second):
     * the postmaster whose command line names a directory under {@code dir}, with its ended children
     * (cutime, cstime) and its live ones (the backends, the WAL writer, the checkpointer).
     */
    static OptionalLong pgCpuMillis(Path dir) {
        long postmaster = ProcessCpu.postmasterUnder(dir);
        return postmaster < 0 ? OptionalLong.empty() : ProcessCpu.postgresMillis(postmaster);
    }

    /** A scan record signed ahead of time: the request a gate would send for it. */
    record Signed(Map<String, String> headers, byte[] body) {
    }

    /** A gate: the SDK client, its own key, and what its requests carry. */
    record Gate(org.ticketledger.verify.VerifierClient client, org.ticketledger.verify.spi.DeviceSigner signer,
                BearerCapture bearer) {
    }

    /** Wraps the gate's transport to learn the session's access token, which the pre-signed posts carry. */
    static final class BearerCapture implements org.ticketledger.verify.spi.HttpTransport {
        private final org.ticketledger.verify.spi.HttpTransport inner;
        private volatile String authorization;

        BearerCapture(org.ticketledger.verify.spi.HttpTransport inner) {
            this.inner = inner;
        }

        @Override
        public org.ticketledger.verify.spi.HttpResponse send(org.ticketledger.verify.spi.HttpRequest request) throws IOException {
            request.headers().forEach((k, v) -> {
                if (k.equalsIgnoreCase("Authorization")) {
                    authorization = v;
                }
            });
            return inner.send(request);
        }

        String authorization() {
            if (authorization == null) {
                throw new IllegalStateException("the gate has made no authorized call yet");
            }
            return authorization;
        }
    }

    /** Gate devices at the benchmark's spot, provisioned, logged in and synced. */
    static final class Gates {
        private Gates() {
        }

        static List<Gate> open(HttpStack stack, int n) {
            com.fasterxml.jackson.databind.node.ObjectNode op = PlatformClient.JSON.createObjectNode().put("username", "bench.gate")
                    .put("name", "Bench Gate").put("password", "bench gate password");
            op.putArray("spotIds").add(stack.spotId());
            stack.admin().admin("POST", "/admin/v1/operators", op).expect(201);
            List<Gate> gates = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                String qr = stack.admin().admin("POST", "/admin/v1/devices/provisioning-tokens", PlatformClient.JSON.createObjectNode()
                        .put("spotId", stack.spotId()).put("gate", "Gate " + i)).expect(201).json().path("qrText").asText();
                org.ticketledger.verify.spi.StateStore state = org.ticketledger.verify.spi.StateStore.inMemory();
                org.ticketledger.verify.spi.DeviceSigner signer = org.ticketledger.verify.spi.DeviceSigner.software(state);
                BearerCapture bearer = new BearerCapture(new LeanTransport(stack.app().base()));
                org.ticketledger.verify.VerifierClient g = org.ticketledger.verify.VerifierClient.builder()
                        .serverUrl(stack.app().base()).stateStore(state).deviceSigner(signer)
                        .scanJournal(org.ticketledger.verify.spi.ScanJournal.inMemory()).transport(bearer)
                        .zone(HttpStack.ZONE).build();
                gates.add(new Gate(g, signer, bearer));
                if (!(g.provision(qr) instanceof org.ticketledger.verify.ProvisionResult.Provisioned)
                        || !(g.login(org.ticketledger.verify.OperatorCredentials.password("bench.gate", "bench gate password"))
                        instanceof org.ticketledger.verify.LoginResult.LoggedIn)) {
                    throw new IllegalStateException("gate " + i + " could not be provisioned or logged in");
                }
                g.sync();
            }
            return gates;
        }

        /**
         * Builds and signs one scan record per code, as the SDK does at a scan (fresh record id and
         * nonce, the gate's sequence, its key), on {@code threads} threads; code i goes to gate i mod n.
         */
        static ConcurrentLinkedQueue<Signed> presign(List<Gate> gates, java.util.Collection<String> codes, int threads) {
            List<String> all = new ArrayList<>(codes);
            Signed[] out = new Signed[all.size()];
            AtomicLong next = new AtomicLong();
            List<AtomicLong> sequences = gates.stream().map(g -> new AtomicLong(1_000_000)).toList();
            List<Thread> ts = new ArrayList<>();
            for (int t = 0; t < Math.max(1, threads); t++) {
                Thread th = new Thread(() -> {
                    for (int i = (int) next.getAndIncrement(); i < out.length; i = (int) next.getAndIncrement()) {
                        int gi = i % gates.size();
                        Gate g = gates.get(gi);
                        org.ticketledger.verify.DeviceSession s = g.client().session().orElseThrow();
                        org.ticketledger.verify.TicketCode code = org.ticketledger.verify.TicketCodec.decode(all.get(i)).ticketCode()
                                .orElseThrow();
                        org.ticketledger.verify.ScanRecord r = org.ticketledger.verify.ScanRecord.builder()
                                .recordId(org.ticketledger.verify.ScanRecord.newRecordId()).deviceId(s.deviceId())
                                .spotId(s.spot().id()).ticketId(code.payload().ticketId()).code(code.text())
                                .scannedAt(java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS)).clockOffsetMillis(0)
                                .sequence(sequences.get(gi).getAndIncrement()).nonce(org.ticketledger.verify.ScanRecord.newNonce())
                                .sign(g.signer());
                        Map<String, String> h = new LinkedHashMap<>();
                        h.put("Authorization", g.bearer().authorization());
                        h.put("Content-Type", "application/json");
                        h.put("Idempotency-Key", r.recordId());
                        out[i] = new Signed(h, org.ticketledger.verify.internal.Wire.scanRecordJson(r).toBytes());
                    }
                }, "presign-" + t);
                ts.add(th);
                th.start();
            }
            joinAll(ts);
            if (next.get() < out.length || java.util.Arrays.stream(out).anyMatch(java.util.Objects::isNull)) {
                throw new IllegalStateException("signing the scan records failed (see above)");
            }
            return new ConcurrentLinkedQueue<>(List.of(out));
        }
    }

    /** Waits for every thread; an interrupt of the waiting thread aborts the run. */
    private static void joinAll(List<Thread> threads) {
        for (Thread th : threads) {
            try {
                th.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
