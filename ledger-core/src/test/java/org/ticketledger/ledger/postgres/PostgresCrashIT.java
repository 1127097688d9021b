package org.ticketledger.ledger.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.ticketledger.ledger.Account;
import org.ticketledger.ledger.AccountType;
import org.ticketledger.ledger.BalancePolicy;
import org.ticketledger.ledger.Entry;
import org.ticketledger.ledger.LedgerId;
import org.ticketledger.ledger.Money;
import org.ticketledger.ledger.testing.PostgresFixture;

/**
 * A writer process killed with SIGKILL in the middle of group commits loses only entries it had not
 * acknowledged, and a restarted writer completes the rest without writing anything twice.
 */
class PostgresCrashIT {

    @Test
    void aKilledWriterLosesNothingItAcknowledgedAndARestartDuplicatesNothing() throws Exception {
        String url = PostgresFixture.newDatabaseUrl();
        LedgerId ledger = LedgerId.of("crash");
        try (PostgresJournal setup = PostgresJournal.builder().jdbcUrl(url).username("postgres").build()) {
            setup.createLedger(ledger, Money.CNY);
            setup.openAccount(Account.of(ledger, "cash", AccountType.ASSET, BalancePolicy.NONE));
            setup.openAccount(Account.of(ledger, "sales", AccountType.REVENUE, BalancePolicy.NONE));
        }
        int n = 20_000;
        Path acks = Files.createTempFile("acks", ".txt");

        Process child = start(url, ledger, n, acks);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (Files.readAllLines(acks).size() < 3_000 && child.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(child.isAlive()).as("child still writing when killed").isTrue();
        child.destroyForcibly(); // SIGKILL
        child.waitFor(30, TimeUnit.SECONDS);

        List<String> acknowledged = Files.readAllLines(acks);
        try (PostgresJournal journal = PostgresJournal.builder().jdbcUrl(url).username("postgres").migrate(false).build()) {
            Set<String> stored = keys(journal, ledger);
            assertThat(stored).containsAll(acknowledged);
            assertThat(stored.size()).isLessThan(n);
            assertThat(journal.verify(ledger).problems()).isEmpty();
        }

        Process again = start(url, ledger, n, acks);
        assertThat(again.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(again.exitValue()).isZero();
        try (PostgresJournal journal = PostgresJournal.builder().jdbcUrl(url).username("postgres").migrate(false).build()) {
            Set<String> stored = keys(journal, ledger);
            assertThat(stored).hasSize(n);
            assertThat(journal.head(ledger).lastSequence()).isEqualTo(n);
            assertThat(journal.verify(ledger).problems()).isEmpty();
        }
    }

    private static Set<String> keys(PostgresJournal journal, LedgerId ledger) {
        Set<String> keys = new HashSet<>();
        long from = 1;
        while (true) {
            List<Entry> page = journal.entries(ledger, from, 5000);
            if (page.isEmpty()) {
                return keys;
            }
            for (Entry e : page) {
                assertThat(keys.add(e.idempotencyKey())).as("key %s written once", e.idempotencyKey()).isTrue();
            }
            from = page.get(page.size() - 1).sequence() + 1;
        }
    }

    private static Process start(String url, LedgerId ledger, int n, Path acks) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), CrashChild.class.getName(),
                url, ledger.value(), String.valueOf(n), acks.toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
    }
}
