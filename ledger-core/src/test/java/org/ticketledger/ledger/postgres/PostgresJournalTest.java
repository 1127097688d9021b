package org.ticketledger.ledger.postgres;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.AfterAll;
import org.ticketledger.ledger.Journal;
import org.ticketledger.ledger.testing.JournalContract;
import org.ticketledger.ledger.testing.MutableClock;
import org.ticketledger.ledger.testing.PostgresFixture;

class PostgresJournalTest extends JournalContract {

    private HikariDataSource dataSource;

    @Override
    protected Journal createJournal(MutableClock clock) {
        dataSource = PostgresFixture.newDataSource(12);
        return PostgresJournal.builder().dataSource(dataSource).clock(clock).build();
    }

    @AfterAll
    void closePool() {
        dataSource.close();
    }
}
