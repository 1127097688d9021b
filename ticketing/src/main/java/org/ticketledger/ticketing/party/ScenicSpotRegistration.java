package org.ticketledger.ticketing.party;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * What onboarding a scenic spot needs.
 *
 * @param name             the spot's name
 * @param contactPhone     a phone for SMS
 * @param receivingAccount where its payouts go (on one of the platform's rails)
 */
public record ScenicSpotRegistration(
        @NotBlank @Size(max = 100) String name,
        @NotNull @Pattern(regexp = Patterns.PHONE) String contactPhone,
        @NotNull @Valid AccountSetting receivingAccount) {
}
