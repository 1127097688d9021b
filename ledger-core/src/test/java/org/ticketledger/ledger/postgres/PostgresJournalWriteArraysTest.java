package org.ticketledger.ledger.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.ticketledger.ledger.Account;
import org.ticketledger.ledger.AccountType;
import org.ticketledger.ledger.BalancePolicy;
import org.ticketledger.ledger.Entry;
import org.ticketledger.ledger.EntryKind;
import org.ticketledger.ledger.EntryRequest;
import org.ticketledger.ledger.LedgerId;
import org.ticketledger.ledger.Money;
import org.ticketledger.ledger.PostResult;
import org.ticketledger.ledger.testing.PostgresFixture;

/**
 * The write statement binds its columns as arrays the driver encodes (boxed arrays with nulls,
 * int and long arrays, text arrays, bytea arrays): every field must come back as it went in, for
 * keys and metadata with the characters an array literal would have to escape.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostgresJournalWriteArraysTest {

    private String url;
    private HikariDataSource dataSource;
    private PostgresJournal journal;

    @BeforeAll
    void open() {
        url = PostgresFixture.newDatabaseUrl();
        dataSource = PostgresFixture.pool(url, 4);
        journal = PostgresJournal.builder().dataSource(dataSource).build();
    }

    @AfterAll
    void close() {
        journal.close();
        dataSource.close();
    }

    @Test
    void oddKeysMetadataAndNullsInOneBatchComeBackAsWritten() {
        LedgerId l = LedgerId.of("arrays");
        journal.createLedger(l, Money.CNY);
        journal.openAccount(Account.of(l, "cash", AccountType.ASSET, BalancePolicy.NONE));
        journal.openAccount(Account.of(l, "sales", AccountType.REVENUE, BalancePolicy.NONE));
        // A first batch whose every reference and expiry is null.
        List<PostResult> first = journal.postAll(List.of(
                EntryRequest.builder(l, "NULL", "sale").debit("cash", Money.cny(1)).credit("sales", Money.cny(1)).build(),
                EntryRequest.builder(l, "{a,b}", "sale").debit("cash", Money.cny(2)).credit("sales", Money.cny(2))
                        .meta("note", "NULL").build()));
        assertThat(first).allMatch(r -> r instanceof PostResult.Posted);
        String[] keys = {"a\"b", "a\\b", "'q'", "x,y", "{}", "\\N", "null"};
        List<EntryRequest> second = new ArrayList<>();
        for (int i = 0; i < keys.length; i++) {
            second.add(EntryRequest.builder(l, keys[i], "sale").debit("cash", Money.cny(10 + i)).credit("sales", Money.cny(10 + i))
                    .meta("v", "\"quoted\" \\ back {brace} , comma \u00e9\u4e2d\u6587 \ud83c\udfab " + i).build());
        }
        // Nulls among non-nulls in the boxed arrays: a hold with an expiry, a reversal with a reference.
        second.add(EntryRequest.hold(l, "hold-1", "hold").debit("cash", Money.cny(5)).credit("sales", Money.cny(5))
                .expiresAt(Instant.parse("2099-01-01T00:00:00.123456Z")).build());
        second.add(EntryRequest.reversal(l, "rev-1", "reversal", 1));
        List<PostResult> results = journal.postAll(second);
        assertThat(results).allMatch(r -> r instanceof PostResult.Posted);

        List<Entry> written = new ArrayList<>();
        for (PostResult r : first) {
            written.add(((PostResult.Posted) r).entry());
        }
        for (PostResult r : results) {
            written.add(((PostResult.Posted) r).entry());
        }
        // A journal of its own reads the rows, not what the writer cached.
        try (HikariDataSource other = PostgresFixture.pool(url, 2);
             PostgresJournal reader = PostgresJournal.builder().dataSource(other).migrate(false).build()) {
            assertThat(reader.entries(l, 1, 100)).containsExactlyElementsOf(written);
            for (Entry e : written) {
                assertThat(reader.entryByKey(l, e.idempotencyKey())).contains(e);
            }
            assertThat(reader.entryByKey(l, "rev-1").orElseThrow().kind()).isEqualTo(EntryKind.REVERSAL);
            assertThat(reader.entryByKey(l, "{a,b}").orElseThrow().metadata()).isEqualTo(Map.of("note", "NULL"));
            assertThat(reader.verify(l).problems()).isEmpty();
        }
    }
}
