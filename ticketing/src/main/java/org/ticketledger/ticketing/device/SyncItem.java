package org.ticketledger.ticketing.device;

import java.util.Objects;
import org.ticketledger.verify.ScanRecord;

/** One element of a sync upload: a readable scan record, or one whose fields break the format. */
public sealed interface SyncItem {

    /** The record's id (what the answer is keyed by). */
    String recordId();

    /** A scan record as parsed. */
    record Record(ScanRecord record) implements SyncItem {
        public Record {
            Objects.requireNonNull(record, "record");
        }

        @Override
        public String recordId() {
            return record.recordId();
        }
    }

    /** A record with a readable id whose other fields are not valid; answered {@code MALFORMED_RECORD}. */
    record Unreadable(String recordId, String why) implements SyncItem {
        public Unreadable {
            Objects.requireNonNull(recordId, "recordId");
            Objects.requireNonNull(why, "why");
        }
    }
}
