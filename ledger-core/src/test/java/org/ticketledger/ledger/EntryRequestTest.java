package org.ticketledger.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Currency;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class EntryRequestTest {

    private static final LedgerId L = LedgerId.of("platform-cny");

    private static EntryRequest.Builder b() {
        return EntryRequest.builder(L, "k-1", "issuance");
    }

    @Test
    void refusesUnbalancedEntriesWithTheAmounts() {
        assertThatThrownBy(() -> b().debit("a", Money.cny(100)).credit("b", Money.cny(99)).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessage("unbalanced entry: debits 1.00 != credits 0.99");
    }

    @Test
    void refusesFewerThanTwoPostings() {
        assertThatThrownBy(() -> b().debit("a", Money.cny(1)).build()).hasMessageContaining("at least 2 postings");
        assertThatThrownBy(() -> b().build()).hasMessageContaining("at least 2 postings");
    }

    @Test
    void refusesZeroAndNegativeAmounts() {
        assertThatThrownBy(() -> b().debit("a", Money.cny(0))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must be positive");
        assertThatThrownBy(() -> b().credit("a", Money.cny(-1))).hasMessageContaining("must be positive");
    }

    @Test
    void refusesCurrencyMixes() {
        Money usd = Money.of(100, Currency.getInstance("USD"));
        assertThatThrownBy(() -> b().debit("a", Money.cny(100)).credit("b", usd).build()).hasMessageContaining("currency mix");
    }

    @Test
    void refusesTotalsThatOverflow() {
        Money max = Money.cny(Long.MAX_VALUE);
        assertThatThrownBy(() -> b().debit("a", max).debit("a", max).credit("b", max).credit("b", max).build())
                .hasMessageContaining("overflows");
    }

    @Test
    void refusesNullsWithTheFieldName() {
        assertThatThrownBy(() -> new EntryRequest(L, null, "t", EntryKind.STANDARD, List.of(), OptionalLong.empty(),
                Optional.empty(), Optional.empty(), Map.of())).isInstanceOf(NullPointerException.class).hasMessage("idempotencyKey");
        assertThatThrownBy(() -> b().debit((String) null, Money.cny(1))).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> b().meta("k", null)).isInstanceOf(NullPointerException.class);
        Map<String, String> withNull = new HashMap<>();
        withNull.put("k", null);
        assertThatThrownBy(() -> b().debit("a", Money.cny(1)).credit("b", Money.cny(1)).metadata(withNull))
                .isInstanceOf(NullPointerException.class);
    }

    @Test
    void refusesBadKeysTypesAndMetadata() {
        assertThatThrownBy(() -> EntryRequest.builder(L, "", "t").debit("a", Money.cny(1)).credit("b", Money.cny(1)).build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EntryRequest.builder(L, "has space", "t").debit("a", Money.cny(1)).credit("b", Money.cny(1)).build())
                .hasMessageContaining("printable ASCII");
        assertThatThrownBy(() -> EntryRequest.builder(L, "x".repeat(201), "t").debit("a", Money.cny(1)).credit("b", Money.cny(1)).build())
                .hasMessageContaining("1-200");
        assertThatThrownBy(() -> EntryRequest.builder(L, "k", "Bad Type").debit("a", Money.cny(1)).credit("b", Money.cny(1)).build())
                .hasMessageContaining("invalid entry type");
        assertThatThrownBy(() -> b().debit("a", Money.cny(1)).credit("b", Money.cny(1)).meta("bad key", "v").build())
                .hasMessageContaining("invalid metadata key");
        assertThatThrownBy(() -> b().debit("a", Money.cny(1)).credit("b", Money.cny(1)).meta("k", "a\u0000b").build())
                .hasMessageContaining("NUL");
        assertThatThrownBy(() -> AccountCode.of("Platform:Alipay")).hasMessageContaining("invalid account code");
        assertThatThrownBy(() -> AccountCode.of("a::b")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LedgerId.of("-x")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void kindsThatDeriveTheirPostingsRefuseGivenOnesAndNeedAReference() {
        assertThatThrownBy(() -> new EntryRequest(L, "k", "t", EntryKind.REVERSAL,
                List.of(Posting.debit(AccountCode.of("a"), Money.cny(1)), Posting.credit(AccountCode.of("b"), Money.cny(1))),
                OptionalLong.of(1), Optional.empty(), Optional.empty(), Map.of())).hasMessageContaining("derive their postings");
        assertThatThrownBy(() -> new EntryRequest(L, "k", "t", EntryKind.HOLD_VOID, List.of(), OptionalLong.empty(),
                Optional.empty(), Optional.empty(), Map.of())).hasMessageContaining("need the sequence");
        assertThatThrownBy(() -> EntryRequest.reversal(L, "k", "t", 0)).hasMessageContaining("need the sequence");
        assertThatThrownBy(() -> b().debit("a", Money.cny(1)).credit("b", Money.cny(1)).expiresAt(Instant.now()).build())
                .hasMessageContaining("only HOLD entries take an expiry");
    }

    @Test
    void truncatesTimesToMicrosecondsAndSortsMetadata() {
        EntryRequest r = b().debit("a", Money.cny(1)).credit("b", Money.cny(1))
                .effectiveAt(Instant.parse("2026-01-01T00:00:00.123456789Z"))
                .meta("z", "1").meta("a", "2").build();
        assertThat(r.effectiveAt()).contains(Instant.parse("2026-01-01T00:00:00.123456Z"));
        assertThat(r.metadata().keySet()).containsExactly("a", "z");
        assertThat(r).isEqualTo(b().debit("a", Money.cny(1)).credit("b", Money.cny(1))
                .effectiveAt(Instant.parse("2026-01-01T00:00:00.123456Z")).meta("a", "2").meta("z", "1").build());
    }
}
