package org.ticketledger.ticketing.party;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.Optional;

/**
 * What onboarding a distributor needs.
 *
 * @param name           the distributor's name
 * @param contactPhone   where top-up requests are sent by SMS
 * @param paymentAccount the account issuance is collected from (on one of the platform's rails)
 * @param parentId       the distributor it resells through, if any
 */
public record DistributorRegistration(
        @NotBlank @Size(max = 100) String name,
        @NotNull @Pattern(regexp = Patterns.PHONE) String contactPhone,
        @NotNull @Valid AccountSetting paymentAccount,
        @NotNull Optional<@Pattern(regexp = Patterns.ID) String> parentId) {
}
