package org.ticketledger.ticketing.device;

import java.util.Objects;
import java.util.Optional;

/**
 * The answer for one synced record.
 *
 * @param recordId the record
 * @param status   what became of it
 * @param code     for REJECTED: why
 * @param message  free text for the device log
 * @param winner   for CONFLICT: the earliest redemption of the ticket at the spot
 */
public record SyncRecordResult(String recordId, SyncStatus status, Optional<RejectCode> code, Optional<String> message,
                               Optional<PriorRedemption> winner) {

    public SyncRecordResult {
        Objects.requireNonNull(recordId, "recordId");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(winner, "winner");
        if ((status == SyncStatus.REJECTED) != code.isPresent()) {
            throw new IllegalArgumentException("a code goes with REJECTED and only with it");
        }
    }
}
