package org.ticketledger.ticketing.profit;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import org.ticketledger.ticketing.party.Patterns;

/**
 * A configured share: {@code beneficiary} receives {@code basisPoints}/10 000 of the period's net
 * income on {@code stream} (rounded down to the fen; the platform keeps the rest). The shares of
 * one stream add up to at most 10 000 basis points.
 *
 * @param beneficiaryId an onboarded scenic spot or distributor (paid on its own account's rail)
 * @param stream        the revenue stream shared
 * @param basisPoints   1-10 000
 */
public record ProfitRule(@NotNull @Pattern(regexp = Patterns.ID) String beneficiaryId, @NotNull RevenueStream stream,
                         @Min(1) @Max(10_000) int basisPoints) {
}
