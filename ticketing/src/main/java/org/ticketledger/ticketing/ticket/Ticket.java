package org.ticketledger.ticketing.ticket;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.ticketledger.ledger.Money;

/**
 * An issued ticket.
 *
 * @param id             our ticket id
 * @param number         the unique ticket number printed for people (digits with a check digit)
 * @param orderId        its order
 * @param unitIndex      0-based unit within the order
 * @param productId      the product
 * @param productVersion the product version
 * @param distributorId  the distributor that bought it
 * @param state          where it stands
 * @param faceValue      D paid for it
 * @param feeShare       its share of the order's issuance fee
 * @param validFrom      start of validity
 * @param validUntil     end of validity (exclusive)
 * @param code           the ticket code (for QR)
 * @param spots          where it is valid
 * @param issuedAt       issued
 * @param updatedAt      last changed
 */
public record Ticket(String id, String number, String orderId, int unitIndex, String productId, int productVersion,
                     String distributorId, TicketState state, Money faceValue, Money feeShare, Instant validFrom,
                     Instant validUntil, String code, List<TicketSpot> spots, Instant issuedAt, Instant updatedAt) {

    public Ticket {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(number, "number");
        Objects.requireNonNull(orderId, "orderId");
        Objects.requireNonNull(productId, "productId");
        Objects.requireNonNull(distributorId, "distributorId");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(faceValue, "faceValue");
        Objects.requireNonNull(feeShare, "feeShare");
        Objects.requireNonNull(validFrom, "validFrom");
        Objects.requireNonNull(validUntil, "validUntil");
        Objects.requireNonNull(code, "code");
        spots = List.copyOf(spots);
        Objects.requireNonNull(issuedAt, "issuedAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
    }
}
