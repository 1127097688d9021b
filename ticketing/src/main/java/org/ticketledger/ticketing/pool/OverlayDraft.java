package org.ticketledger.ticketing.pool;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import org.ticketledger.ledger.Money;

/**
 * How a distributor presents a product in its own shop; settlement is unaffected.
 *
 * @param name        its sale name
 * @param description its description
 * @param retailPrice its retail price to visitors
 */
public record OverlayDraft(@NotBlank @Size(max = 100) String name,
                           @NotNull @Size(max = 2000) String description,
                           @NotNull Money retailPrice) {
}
