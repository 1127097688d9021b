package org.ticketledger.ticketing.device;

/** Why a synced record was rejected (DEVICE-API.md §4.9; stable). */
public enum RejectCode {
    /** The device signature does not verify with the device's registered key. */
    BAD_RECORD_SIGNATURE,
    /** The record names another device than the session's. */
    DEVICE_MISMATCH,
    /** The record names another spot than the session's. */
    SPOT_MISMATCH,
    /** The nonce was used by another record of this device. */
    REPLAYED_NONCE,
    /** The code's issuer signature fails or its key is unknown: a tampered device. */
    FORGED_TICKET,
    /** The record cannot be read as a scan record (or reuses a record id with other content). */
    MALFORMED_RECORD
}
