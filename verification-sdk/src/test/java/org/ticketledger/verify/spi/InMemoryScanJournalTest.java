package org.ticketledger.verify.spi;

class InMemoryScanJournalTest extends ScanJournalContract {

    @Override
    protected ScanJournal open() {
        return ScanJournal.inMemory();
    }
}
