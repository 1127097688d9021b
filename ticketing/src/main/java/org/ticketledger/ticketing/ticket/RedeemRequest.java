package org.ticketledger.ticketing.ticket;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.ticketledger.ticketing.party.Patterns;

/**
 * Redemption of a ticket at a spot.
 *
 * @param ticket   the ticket id or ticket number
 * @param spotId   the spot redeeming it
 * @param operator who or which device redeems (recorded with the redemption)
 */
public record RedeemRequest(@NotBlank @Size(max = 64) String ticket,
                            @NotNull @Pattern(regexp = Patterns.ID) String spotId,
                            @NotBlank @Size(max = 64) String operator) {
}
