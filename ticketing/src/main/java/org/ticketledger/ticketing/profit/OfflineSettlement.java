package org.ticketledger.ticketing.profit;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.util.Objects;
import java.util.Optional;
import org.ticketledger.payment.RailId;

/**
 * An admin's confirmation that an offline run was paid.
 *
 * @param reference the bank or voucher reference ({@code [A-Za-z0-9_.:-]{1,100}})
 * @param paidFrom  the platform rail account it was paid from by hand (booked against that
 *                  settlement account); empty when paid from money outside the platform's rail
 *                  accounts (booked as {@code equity:platform-funding})
 */
public record OfflineSettlement(@NotNull @Pattern(regexp = "[A-Za-z0-9_.:-]{1,100}") String reference,
                                Optional<RailId> paidFrom) {

    public OfflineSettlement {
        Objects.requireNonNull(paidFrom, "paidFrom");
    }
}
