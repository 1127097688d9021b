package org.ticketledger.ticketing.party;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;

/**
 * What onboarding the platform needs.
 *
 * @param name               the platform's name
 * @param currency           its book currency (one ledger per currency, e.g. {@code platform-cny})
 * @param adminPhone         the operator administrator's phone for SMS (funds short, manual review)
 * @param timeZone           the zone visit dates are read in, e.g. {@code Asia/Shanghai}
 * @param settlementAccounts the platform's own account on each rail it settles on
 */
public record PlatformRegistration(
        @NotBlank @Size(max = 100) String name,
        @NotNull @Pattern(regexp = Patterns.CURRENCY) String currency,
        @NotNull @Pattern(regexp = Patterns.PHONE) String adminPhone,
        @NotBlank @Size(max = 64) String timeZone,
        @NotEmpty @Size(max = 8) List<@NotNull @Valid AccountSetting> settlementAccounts) {
}
