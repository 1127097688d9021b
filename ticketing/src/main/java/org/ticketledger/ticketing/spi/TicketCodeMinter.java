package org.ticketledger.ticketing.spi;

import org.ticketledger.ticketing.internal.PlaceholderTicketCodeMinter;

/**
 * Turns a ticket's claims into the code printed as a QR. The signed codec of verification-sdk
 * plugs in here; {@link #placeholder()} is an unsigned stand-in. Thread-safe; never returns null.
 */
public interface TicketCodeMinter {

    /** The code for these claims. */
    String mint(TicketClaims claims);

    /**
     * An UNSIGNED placeholder ({@code X0.} + Base64url of the claims): readable, not forgery-proof.
     * Redemption in this module goes by ticket id or number, never by trusting a code.
     */
    static TicketCodeMinter placeholder() {
        return new PlaceholderTicketCodeMinter();
    }
}
