package org.ticketledger.ticketing.device;

/** Per-record status of a sync (DEVICE-API.md §4.9). */
public enum SyncStatus {
    /** Stored as a redemption (among the first {@code uses} scans of its ticket at its spot). */
    RECORDED,
    /** The server has this record already. */
    DUPLICATE,
    /** Stored, but earlier scans took the ticket's uses at this spot. */
    CONFLICT,
    /** Not stored as a redemption; see {@link RejectCode}. */
    REJECTED
}
