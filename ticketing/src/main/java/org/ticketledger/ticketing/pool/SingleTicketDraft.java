package org.ticketledger.ticketing.pool;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.LocalDate;
import org.ticketledger.ledger.Money;
import org.ticketledger.ticketing.party.Patterns;

/**
 * A single-ticket product as a scenic spot publishes it (or a new version of it).
 *
 * @param spotId           the publishing spot, where the ticket is valid
 * @param name             product name
 * @param description      description (may be empty)
 * @param distributorPrice D: what a distributor pays per ticket (before the issuance fee)
 * @param scenicPrice      S: what the spot is paid per redeemed ticket (before the payout fee); S <= D
 * @param validFrom        first visit date the product can be sold for
 * @param validUntil       last visit date
 * @param validDays        how many days a ticket stays valid from its visit date (1 = that day only)
 * @param usageRules       usage rules shown to visitors
 */
public record SingleTicketDraft(
        @NotNull @Pattern(regexp = Patterns.ID) String spotId,
        @NotBlank @Size(max = 100) String name,
        @NotNull @Size(max = 2000) String description,
        @NotNull Money distributorPrice,
        @NotNull Money scenicPrice,
        @NotNull LocalDate validFrom,
        @NotNull LocalDate validUntil,
        @Min(1) @Max(366) int validDays,
        @NotNull @Size(max = 2000) String usageRules) {
}
