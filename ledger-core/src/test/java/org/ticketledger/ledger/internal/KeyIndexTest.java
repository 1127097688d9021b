package org.ticketledger.ledger.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class KeyIndexTest {

    private final List<String> keys = new ArrayList<>();
    private final KeyIndex index = new KeyIndex(seq -> keys.get(seq - 1));

    private void add(String key) {
        keys.add(key);
        index.add(key, keys.size());
    }

    @Test
    void findsEveryKeyAcrossGrowthAndNothingElse() {
        for (int i = 0; i < 100_000; i++) {
            add("e" + i);
        }
        assertThat(index.size()).isEqualTo(100_000);
        for (int i = 0; i < 100_000; i++) {
            assertThat(index.find("e" + i)).isEqualTo(i + 1);
        }
        assertThat(index.find("e100000")).isZero();
        assertThat(index.find("")).isZero();
    }

    @Test
    void tellsApartKeysWithTheSameHashCode() {
        // "Aa" and "BB" share String.hashCode, so they land in one probe run.
        assertThat("Aa".hashCode()).isEqualTo("BB".hashCode());
        add("Aa");
        assertThat(index.find("BB")).isZero();
        add("BB");
        add("AaAa");
        add("BBBB");
        add("AaBB");
        assertThat(index.find("Aa")).isEqualTo(1);
        assertThat(index.find("BB")).isEqualTo(2);
        assertThat(index.find("AaAa")).isEqualTo(3);
        assertThat(index.find("BBBB")).isEqualTo(4);
        assertThat(index.find("AaBB")).isEqualTo(5);
        assertThat(index.find("BBAa")).isZero();
    }

    @Test
    void refusesASequenceBelowOne() {
        assertThatThrownBy(() -> index.add("k", 0)).isInstanceOf(IllegalArgumentException.class);
        assertThat(index.size()).isZero();
    }
}
