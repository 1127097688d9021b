package org.ticketledger.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.ticketledger.cli.ExitCode;
import org.ticketledger.cli.JournalExport;
import org.ticketledger.cli.LedgerCli;
import org.ticketledger.ledger.Account;
import org.ticketledger.ledger.AccountType;
import org.ticketledger.ledger.BalancePolicy;
import org.ticketledger.ledger.EntryRequest;
import org.ticketledger.ledger.InMemoryJournal;
import org.ticketledger.ledger.LedgerId;
import org.ticketledger.ledger.Money;
import org.ticketledger.ledger.PostResult;

/**
 * {@code ./bench ledger-replay [--seconds N] [--entries N] [--file PATH]} (--file keeps the export there): {@code ledger-cli verify --file} over a
 * JSON Lines export (strict parse, every hash recomputed, chain, replay of all balances, policies,
 * head and stored balances compared), in-process. ops are entries; p50/p99 are the times of one
 * whole verify pass over the file. Target: at least 200,000 entries/s.
 */
final class ReplayBenchmark {

    private ReplayBenchmark() {
    }

    static void run(BenchOptions options, PrintStream out) {
        int entries = options.intOption("entries", 200_000);
        Optional<Path> keep = Optional.ofNullable(options.extra().get("file")).map(Path::of);
        Path file = export(entries, keep);
        try {
            String[] args = {"verify", "--file", file.toString(), "--quiet"};
            long warmupEnd = System.nanoTime() + Duration.ofSeconds(Math.min(5, Math.max(2, options.seconds() / 3))).toNanos();
            while (System.nanoTime() < warmupEnd) {
                verify(args);
            }
            Latencies passes = new Latencies();
            long errors = 0;
            long cpuStart = ProcessCpu.nanos();
            long start = System.nanoTime();
            long end = start + options.seconds() * 1_000_000_000L;
            do {
                long t0 = System.nanoTime();
                int code = verify(args);
                passes.record(System.nanoTime() - t0);
                if (code != ExitCode.OK) {
                    errors++;
                }
            } while (System.nanoTime() < end);
            double secs = (System.nanoTime() - start) / 1e9;
            double cpuSecs = (ProcessCpu.nanos() - cpuStart) / 1e9;
            long[] sorted = Latencies.merge(List.of(passes));
            out.println(new BenchResult("ledger-replay", (double) entries * passes.count() / secs,
                    Latencies.percentileMillis(sorted, 0.50), Latencies.percentileMillis(sorted, 0.99), errors)
                    .with("entries_per_pass", entries).with("passes", passes.count())
                    .with("file_mb", Files.size(file) / 1e6).with("latency", "one verify pass over the file")
                    // On a shared machine wall time depends on the neighbours; CPU time does not.
                    .with("entries_per_cpu_s", cpuSecs > 0 ? Math.round(entries * (double) passes.count() / cpuSecs) : 0)
                    .with("load_avg", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage())
                    .with("seconds", secs).toJson());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            try {
                if (keep.isEmpty()) {
                    Files.deleteIfExists(file);
                }
            } catch (IOException e) {
                System.err.println("could not delete " + file + ": " + e.getMessage());
            }
        }
    }

    private static int verify(String[] args) {
        PrintStream sink = new PrintStream(OutputStream.nullOutputStream());
        return LedgerCli.execute(args, sink, System.err, Map.of(), false);
    }

    /** A ticketing-shaped journal: issuances (three postings, metadata), redemptions, payouts held and posted. */
    private static Path export(int entries, Optional<Path> keep) {
        System.err.println("ledger-replay: building a journal of " + entries + " entries...");
        LedgerId l = LedgerId.of("platform-cny");
        Instant[] now = {Instant.parse("2026-11-26T02:00:00Z")};
        try (InMemoryJournal j = InMemoryJournal.withClock(new java.time.Clock() {
            @Override
            public java.time.ZoneId getZone() {
                return java.time.ZoneOffset.UTC;
            }

            @Override
            public java.time.Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                now[0] = now[0].plusMillis(3);
                return now[0];
            }
        })) {
            j.createLedger(l, Money.CNY);
            j.openAccount(Account.of(l, "platform:alipay:settlement", AccountType.ASSET, BalancePolicy.CREDITS_MUST_NOT_EXCEED_DEBITS));
            j.openAccount(Account.of(l, "tickets:unredeemed", AccountType.LIABILITY, BalancePolicy.DEBITS_MUST_NOT_EXCEED_CREDITS));
            j.openAccount(Account.of(l, "revenue:issuance-fee", AccountType.REVENUE, BalancePolicy.NONE));
            j.openAccount(Account.of(l, "revenue:margin", AccountType.REVENUE, BalancePolicy.NONE));
            j.openAccount(Account.of(l, "revenue:payout-fee", AccountType.REVENUE, BalancePolicy.NONE));
            for (int k = 0; k < 50; k++) {
                j.openAccount(Account.of(l, "scenic:s-" + k + ":payable", AccountType.LIABILITY, BalancePolicy.DEBITS_MUST_NOT_EXCEED_CREDITS));
            }
            List<EntryRequest> batch = new ArrayList<>();
            long seq = 0;
            for (int i = 0; seq < entries; i++) {
                String payable = "scenic:s-" + (i % 50) + ":payable";
                batch.add(EntryRequest.builder(l, "order:o-" + i + ":collected", "issuance")
                        .debit("platform:alipay:settlement", Money.cny(10100)).credit("tickets:unredeemed", Money.cny(10000))
                        .credit("revenue:issuance-fee", Money.cny(100)).meta("order", "o-" + i).meta("ticket", "T-" + i).build());
                batch.add(EntryRequest.builder(l, "ticket:T-" + i + ":redeemed", "redemption")
                        .debit("tickets:unredeemed", Money.cny(10000)).credit(payable, Money.cny(9000))
                        .credit("revenue:margin", Money.cny(1000)).meta("ticket", "T-" + i).build());
                seq += 2;
                if (i % 4 == 3 && seq + 2 <= entries) {
                    batch.add(EntryRequest.hold(l, "payout:p-" + i, "payout").debit(payable, Money.cny(8000))
                            .credit("platform:alipay:settlement", Money.cny(7920)).credit("revenue:payout-fee", Money.cny(80)).build());
                    batch.add(EntryRequest.postHold(l, "payout:p-" + i + ":done", "payout", seq + 1).debit(payable, Money.cny(8000))
                            .credit("platform:alipay:settlement", Money.cny(7920)).credit("revenue:payout-fee", Money.cny(80)).build());
                    seq += 2;
                }
                if (batch.size() >= 1000 || seq >= entries) {
                    for (PostResult r : j.postAll(batch.subList(0, (int) Math.min(batch.size(), batch.size() - (seq - entries))))) {
                        if (!(r instanceof PostResult.Posted)) {
                            throw new IllegalStateException("benchmark journal rejected an entry: " + r);
                        }
                    }
                    batch.clear();
                }
            }
            Path file = keep.isPresent() ? keep.get() : Files.createTempFile("ledger-replay-", ".jsonl");
            try (OutputStream o = Files.newOutputStream(file)) {
                JournalExport.write(j, Optional.empty(), o);
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
