package org.ticketledger.example.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;

class ProblemsTest {

    @Test
    void recognisesAnUnreachableDatabaseAnywhereInTheCauseChain() {
        assertThat(Problems.isDatabaseUnavailable(new IllegalStateException("x",
                new RuntimeException(new SQLException("terminating connection due to administrator command", "57P01"))))).isTrue();
        assertThat(Problems.isDatabaseUnavailable(new RuntimeException(new SQLException("connection refused", "08001")))).isTrue();
        assertThat(Problems.isDatabaseUnavailable(new RuntimeException(
                new SQLTransientConnectionException("pool - Connection is not available, request timed out")))).isTrue();
    }

    @Test
    void anUnreadableBodyIsTheRequestsFault() {
        assertThat(Problems.isBrokenRequest(new RuntimeException(new java.io.EOFException("Early EOF")))).isTrue();
        assertThat(Problems.isBrokenRequest(new org.eclipse.jetty.http.BadMessageException("bad chunk"))).isTrue();
        assertThat(Problems.isBrokenRequest(new IllegalStateException("x", new java.io.IOException("disk")))).isFalse();
    }

    @Test
    void otherFailuresAreBugsNotOutages() {
        assertThat(Problems.isDatabaseUnavailable(new IllegalStateException("x"))).isFalse();
        assertThat(Problems.isDatabaseUnavailable(new RuntimeException(new SQLException("duplicate key", "23505")))).isFalse();
        assertThat(Problems.isDatabaseUnavailable(new RuntimeException(new SQLException("no state")))).isFalse();
    }
}
