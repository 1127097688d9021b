package org.ticketledger.ticketing.ticket;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.ticketledger.ticketing.party.Patterns;

/**
 * A distributor's request to refund (cancel) an unredeemed, unexpired ticket.
 *
 * @param distributorId the distributor that bought the ticket
 * @param ticket        the ticket id or number
 * @param reason        why, for the history
 */
public record RefundRequest(@NotNull @Pattern(regexp = Patterns.ID) String distributorId,
                            @NotBlank @Size(max = 64) String ticket,
                            @NotBlank @Size(max = 200) String reason) {
}
