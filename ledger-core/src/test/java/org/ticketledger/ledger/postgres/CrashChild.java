package org.ticketledger.ledger.postgres;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import org.ticketledger.ledger.EntryRequest;
import org.ticketledger.ledger.LedgerId;
import org.ticketledger.ledger.Money;
import org.ticketledger.ledger.PostResult;

/**
 * A writer process for {@link PostgresCrashIT}: posts entries k0..k(n-1) through the group-commit
 * writer and appends each key to the acknowledgement file once its future completes. The test kills
 * it with SIGKILL mid-flight.
 */
public final class CrashChild {

    private CrashChild() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        String url = args[0];
        LedgerId ledger = LedgerId.of(args[1]);
        int n = Integer.parseInt(args[2]);
        Semaphore inFlight = new Semaphore(256);
        try (OutputStream acks = new FileOutputStream(args[3], true);
             PostgresJournal journal = PostgresJournal.builder().jdbcUrl(url).username("postgres").maximumPoolSize(2)
                     .migrate(false).build()) {
            for (int i = 0; i < n; i++) {
                inFlight.acquire();
                String key = "k" + i;
                CompletableFuture<PostResult> f = journal.postAsync(EntryRequest.builder(ledger, key, "sale")
                        .debit("cash", Money.cny(1 + i % 100)).credit("sales", Money.cny(1 + i % 100)).build());
                f.whenComplete((r, e) -> {
                    if (e == null && r.accepted()) {
                        synchronized (acks) {
                            try {
                                acks.write((key + "\n").getBytes(StandardCharsets.US_ASCII));
                                acks.flush();
                            } catch (IOException io) {
                                throw new java.io.UncheckedIOException(io);
                            }
                        }
                    }
                    inFlight.release();
                });
            }
            inFlight.acquire(256);
        }
    }
}
