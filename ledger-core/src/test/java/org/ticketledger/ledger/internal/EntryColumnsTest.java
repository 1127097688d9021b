package org.ticketledger.ledger.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.ticketledger.ledger.AccountCode;
import org.ticketledger.ledger.Entry;
import org.ticketledger.ledger.EntryKind;
import org.ticketledger.ledger.Hash;
import org.ticketledger.ledger.LedgerId;
import org.ticketledger.ledger.Money;
import org.ticketledger.ledger.Posting;

class EntryColumnsTest {

    private static final LedgerId L = LedgerId.of("columns");
    private static final Instant T0 = Instant.parse("2026-11-27T04:00:00.000001Z");

    @Test
    void entriesReadBackAcrossEveryChunkBoundary() {
        EntryColumns columns = new EntryColumns(L, Money.CNY);
        List<Entry> written = new ArrayList<>();
        Hash previous = Hash.GENESIS;
        // 40,000 entries cross the entry chunks (16,384), the posting chunks (32,768 postings) and,
        // with keys of ~190 bytes, the 1 MiB key chunks several times.
        for (int i = 1; i <= 40_000; i++) {
            Entry e = entry(i, previous, "k" + i + "-" + "x".repeat(180 + i % 10), 1 + i % 3);
            columns.append(e);
            written.add(e);
            previous = e.hash();
        }
        assertThat(columns.size()).isEqualTo(40_000);
        for (Entry e : written) {
            assertThat(columns.get(e.sequence())).isEqualTo(e);
            assertThat(columns.key((int) e.sequence())).isEqualTo(e.idempotencyKey());
        }
        assertThat(columns.get(0)).isNull();
        assertThat(columns.get(40_001)).isNull();
        assertThat(columns.range(39_999, 5)).containsExactly(written.get(39_998), written.get(39_999));
        assertThat(columns.lastHash()).isEqualTo(previous);
        assertThat(columns.lastRecordedAt()).isEqualTo(written.get(39_999).recordedAt());
    }

    @Test
    void anEntryThatDoesNotContinueTheLedgerIsRefusedAndChangesNothing() {
        EntryColumns columns = new EntryColumns(L, Money.CNY);
        Entry first = entry(1, Hash.GENESIS, "a", 2);
        columns.append(first);
        assertThatThrownBy(() -> columns.append(entry(3, first.hash(), "gap", 2)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not continue");
        assertThatThrownBy(() -> columns.append(entry(2, Hash.GENESIS, "forked", 2)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not continue");
        Entry usd = new Entry(L, 2, EntryKind.STANDARD, "usd", "t",
                List.of(Posting.debit(AccountCode.of("a"), Money.of(1, java.util.Currency.getInstance("USD"))),
                        Posting.credit(AccountCode.of("b"), Money.of(1, java.util.Currency.getInstance("USD")))),
                OptionalLong.empty(), T0, T0, Optional.empty(), Map.of(), first.hash(), new Hash(9, 9, 9, 9));
        assertThatThrownBy(() -> columns.append(usd)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("USD");
        assertThatThrownBy(() -> columns.append(entry(2, first.hash(), "caf\u00e9", 2)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("printable ASCII");
        assertThat(columns.size()).isEqualTo(1);
        assertThat(columns.get(1)).isEqualTo(first);
        assertThat(columns.lastHash()).isEqualTo(first.hash());
    }

    private static Entry entry(long seq, Hash previous, String key, int postings) {
        List<Posting> ps = new ArrayList<>();
        for (int k = 0; k < postings; k++) {
            ps.add(Posting.debit(AccountCode.of("acct:" + (seq + k) % 7), Money.cny(seq + k)));
            ps.add(Posting.credit(AccountCode.of("acct:" + (seq + k + 1) % 7), Money.cny(seq + k)));
        }
        Instant recorded = T0.plusNanos(1_000 * seq);
        boolean hold = seq % 5 == 0;
        return new Entry(L, seq, hold ? EntryKind.HOLD : EntryKind.STANDARD, key, "type-" + seq % 3, ps,
                seq % 4 == 0 ? OptionalLong.of(seq - 1) : OptionalLong.empty(),
                seq % 2 == 0 ? recorded.minusSeconds(seq) : recorded, recorded,
                hold ? Optional.of(recorded.plusSeconds(60)) : Optional.empty(),
                seq % 3 == 0 ? Map.of("n", Long.toString(seq)) : Map.of(), previous,
                new Hash(seq, ~seq, seq * 31, -seq));
    }
}
