package org.ticketledger.ticketing.internal;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.ticketledger.ticketing.spi.TicketClaims;
import org.ticketledger.ticketing.spi.TicketCodeMinter;

/** An unsigned stand-in for the signed codec of verification-sdk: {@code X0.} + Base64url of the claims. */
public final class PlaceholderTicketCodeMinter implements TicketCodeMinter {

    @Override
    public String mint(TicketClaims c) {
        String payload = c.ticketId() + "|" + c.ticketNumber() + "|" + c.productId() + "|" + c.productVersion() + "|"
                + String.join(",", c.spotIds()) + "|" + c.validFrom().getEpochSecond() + "|"
                + c.validUntil().getEpochSecond() + "|" + c.uses();
        return "X0." + Base64.getUrlEncoder().withoutPadding().encodeToString(payload.getBytes(StandardCharsets.UTF_8));
    }
}
