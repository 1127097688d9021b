package org.ticketledger.ticketing.combo;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.LocalDate;
import java.util.List;
import org.ticketledger.ledger.Money;
import org.ticketledger.ticketing.pool.SpotPrice;

/**
 * A combo-ticket product as the platform publishes it: valid once at each of several scenic
 * spots, in any order.
 *
 * @param name             product name
 * @param description      description (may be empty)
 * @param distributorPrice D: what a distributor pays per ticket (before the issuance fee); it is
 *                         invested in the wealth plan until the spots are paid or the combo expires
 * @param spots            2-20 distinct onboarded spots with their scenic price S_k; Σ S_k ≤ D
 * @param validFrom        first visit date the product can be sold for
 * @param validUntil       last visit date
 * @param validDays        how many days a ticket stays valid from its visit date
 * @param expiresOn        the day (from 00:00 in the platform's time zone) the combo expires:
 *                         after {@code validUntil}; the plan is redeemed with its yield then, and
 *                         what was not redeemed becomes breakage
 * @param planId           the wealth plan at the wealth rail the money is invested in
 *                         ({@code [A-Za-z0-9_-]{1,64}}); combos may share a plan only if they share
 *                         {@code expiresOn}
 * @param usageRules       usage rules shown to visitors
 */
public record ComboDraft(
        @NotBlank @Size(max = 100) String name,
        @NotNull @Size(max = 2000) String description,
        @NotNull Money distributorPrice,
        @NotNull @Size(min = 2, max = 20) List<@NotNull @Valid SpotPrice> spots,
        @NotNull LocalDate validFrom,
        @NotNull LocalDate validUntil,
        @Min(1) @Max(366) int validDays,
        @NotNull LocalDate expiresOn,
        @NotNull @Pattern(regexp = "[A-Za-z0-9_-]{1,64}") String planId,
        @NotNull @Size(max = 2000) String usageRules) {

    public ComboDraft {
        spots = spots == null ? null : List.copyOf(spots);
    }
}
