package org.ticketledger.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BenchOptionsTest {

    @Test
    void readsSecondsDatabaseAndTheBenchmarksOwnOptions() {
        BenchOptions o = BenchOptions.parse(List.of("--seconds", "15", "--db-url", "jdbc:postgresql://localhost/x", "--in-flight", "4"));
        o.requireOnly("ledger-postgres-hot", Set.of("in-flight", "threads"));
        assertThat(o.seconds()).isEqualTo(15);
        assertThat(o.dbUrl()).contains("jdbc:postgresql://localhost/x");
        assertThat(o.intOption("in-flight", 1)).isEqualTo(4);
        assertThat(o.intOption("threads", 64)).isEqualTo(64);
    }

    @Test
    void refusesAMisspeltOptionNamingWhatTheBenchmarkTakes() {
        BenchOptions o = BenchOptions.parse(List.of("--in-fligt", "4"));
        assertThatThrownBy(() -> o.requireOnly("ledger-postgres-hot", Set.of("in-flight", "threads")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("ledger-postgres-hot does not take --in-fligt; it takes --seconds, --db-url, --in-flight, --threads");
    }

    @Test
    void refusesANumberThatIsNotOne() {
        assertThatThrownBy(() -> BenchOptions.parse(List.of("--seconds", "ten")))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("--seconds must be a whole number, got \"ten\"");
        BenchOptions o = BenchOptions.parse(List.of("--threads", "many"));
        assertThatThrownBy(() -> o.intOption("threads", 64))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("--threads must be a whole number, got \"many\"");
    }

    @Test
    void refusesAFlagWithoutAValueAndZeroSeconds() {
        assertThatThrownBy(() -> BenchOptions.parse(List.of("--seconds")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--key value pairs");
        assertThatThrownBy(() -> BenchOptions.parse(List.of("--seconds", "0")))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("--seconds must be >= 1");
    }

    @Test
    void readsAYesOrNoOptionAndRefusesAnythingElse() {
        BenchOptions o = BenchOptions.parse(List.of("--noop-first", "true", "--presign", "no"));
        assertThat(o.booleanOption("noop-first", false)).isTrue();
        assertThat(o.booleanOption("absent", true)).isTrue();
        assertThat(o.booleanOption("absent", false)).isFalse();
        assertThatThrownBy(() -> o.booleanOption("presign", true))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("--presign must be true or false, got \"no\"");
    }
}
