package org.ticketledger.ticketing.spi;

import java.time.Instant;
import java.util.Optional;

/**
 * Turns a ticket's claims into the code printed as a QR. The default (when the builder is given
 * none) signs with ticketing's own issuer keys in the format of verification-sdk's TICKET-CODE.md
 * ({@code TL:} + Base45, ECDSA P-256); plug another one in only for codes devices of another
 * vendor read. Called inside the issuance transaction: it must not touch the database. Thread-safe;
 * never returns null.
 */
public interface TicketCodeMinter {

    /** The code for these claims. */
    String mint(TicketClaims claims);

    /**
     * Why no code valid until {@code validUntil} could be minted now, if that is so. Asked before
     * the distributor is charged, so that an order whose tickets could never get a code is refused
     * up front rather than paid for and left without tickets. The default can always mint.
     */
    default Optional<String> cannotMintUntil(Instant validUntil) {
        return Optional.empty();
    }
}
