package org.ticketledger.ledger;

import org.ticketledger.ledger.testing.JournalContract;
import org.ticketledger.ledger.testing.MutableClock;

class InMemoryJournalTest extends JournalContract {

    @Override
    protected Journal createJournal(MutableClock clock) {
        return InMemoryJournal.withClock(clock);
    }
}
