package org.ticketledger.ticketing.party;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.Optional;
import org.ticketledger.payment.IdentityType;
import org.ticketledger.payment.RailId;

/**
 * A party's account at a rail as a request states it; validated with Bean Validation, so a bad
 * value comes back as a field error instead of an exception.
 *
 * @param rail         the rail id, e.g. {@code ALIPAY}
 * @param identity     the account at the rail
 * @param identityType how to read {@code identity}
 * @param holderName   the holder's real name (required by some rails for logon ids)
 * @param agreementNo  the signed debit agreement; a secret, needed to collect on agreement rails
 */
public record AccountSetting(
        @NotNull @Pattern(regexp = Patterns.RAIL) String rail,
        @NotBlank @Size(max = 100) String identity,
        @NotNull IdentityType identityType,
        @NotNull Optional<@Pattern(regexp = Patterns.NOT_BLANK, message = "must not be blank") @Size(max = 100) String> holderName,
        @NotNull Optional<@Pattern(regexp = Patterns.NOT_BLANK, message = "must not be blank") @Size(max = 64) String> agreementNo) {

    /** An account identified by {@code identity} alone. */
    public static AccountSetting of(RailId rail, IdentityType type, String identity) {
        return new AccountSetting(rail.value(), identity, type, Optional.empty(), Optional.empty());
    }

    public AccountSetting withHolderName(String name) {
        return new AccountSetting(rail, identity, identityType, Optional.of(name), agreementNo);
    }

    public AccountSetting withAgreement(String agreement) {
        return new AccountSetting(rail, identity, identityType, holderName, Optional.of(agreement));
    }

    /** Masks the agreement number, a secret. */
    @Override
    public String toString() {
        return "AccountSetting[" + rail + " " + identityType + " " + identity
                + (agreementNo != null && agreementNo.isPresent() ? " agreement=****" : "") + "]";
    }
}
