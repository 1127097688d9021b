package org.ticketledger.ticketing.order;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.LocalDate;
import java.util.Optional;
import org.ticketledger.ledger.Money;
import org.ticketledger.ticketing.party.Patterns;

/**
 * A distributor's request to issue tickets. Idempotent by {@code (distributorId,
 * distributorOrderId)}: repeating it returns the same order; reusing the id with different content
 * is refused.
 *
 * @param distributorId      the distributor
 * @param distributorOrderId the distributor's own order id, 1-64 of [A-Za-z0-9_.:-]
 * @param productId          the product as synced from the pool
 * @param visitDate          the visit date (in the platform's time zone)
 * @param slot               the time slot, if the product sells by slot
 * @param quantity           tickets to issue, 1-100; one ticket and code per unit
 * @param unitPrice          the distributor price D the distributor expects to pay per ticket (as
 *                           last synced); a different current price is refused as PRICE_CHANGED
 */
public record IssueRequest(
        @NotNull @Pattern(regexp = Patterns.ID) String distributorId,
        @NotNull @Pattern(regexp = "[A-Za-z0-9_.:-]{1,64}") String distributorOrderId,
        @NotNull @Pattern(regexp = Patterns.ID) String productId,
        @NotNull LocalDate visitDate,
        @NotNull Optional<@Size(min = 1, max = 32) String> slot,
        @Min(1) @Max(100) int quantity,
        @NotNull Money unitPrice) {

    /** A request without a time slot. */
    public static IssueRequest of(String distributorId, String distributorOrderId, String productId,
                                  LocalDate visitDate, int quantity, Money unitPrice) {
        return new IssueRequest(distributorId, distributorOrderId, productId, visitDate, Optional.empty(), quantity,
                unitPrice);
    }
}
