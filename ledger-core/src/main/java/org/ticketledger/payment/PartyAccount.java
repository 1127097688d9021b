package org.ticketledger.payment;

import java.util.Objects;
import java.util.Optional;

/**
 * A party's account at a rail: where a collection is debited or a payout is credited.
 *
 * <p>The agreement number (the distributor's signed debit agreement, e.g. Alipay's
 * {@code agreement_no}) is a secret: {@link #toString()} masks it so it never reaches a log.
 *
 * @param rail         the rail the account is at
 * @param identity     the account identity at that rail
 * @param identityType how {@code identity} is to be read
 * @param holderName   the holder's real name, required by some rails for LOGON_ID payees
 * @param agreementNo  the signed debit agreement, required for collections on agreement rails
 */
public record PartyAccount(RailId rail, String identity, IdentityType identityType, Optional<String> holderName,
                           Optional<String> agreementNo) {

    public PartyAccount {
        Objects.requireNonNull(rail, "rail");
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(identityType, "identityType");
        Objects.requireNonNull(holderName, "holderName");
        Objects.requireNonNull(agreementNo, "agreementNo");
        if (identity.isBlank() || identity.length() > 100) {
            throw new IllegalArgumentException("account identity must have 1-100 characters");
        }
        holderName.ifPresent(n -> {
            if (n.isBlank() || n.length() > 100) {
                throw new IllegalArgumentException("holder name must have 1-100 characters");
            }
        });
        agreementNo.ifPresent(a -> {
            if (a.isBlank() || a.length() > 64) {
                throw new IllegalArgumentException("agreement number must have 1-64 characters");
            }
        });
    }

    /** An account identified by {@code identity} alone. */
    public static PartyAccount of(RailId rail, IdentityType type, String identity) {
        return new PartyAccount(rail, identity, type, Optional.empty(), Optional.empty());
    }

    public PartyAccount withHolderName(String name) {
        return new PartyAccount(rail, identity, identityType, Optional.of(name), agreementNo);
    }

    public PartyAccount withAgreement(String agreement) {
        return new PartyAccount(rail, identity, identityType, holderName, Optional.of(agreement));
    }

    @Override
    public String toString() {
        return "PartyAccount[" + rail + " " + identityType + " " + identity
                + holderName.map(n -> " (" + n + ")").orElse("")
                + agreementNo.map(a -> " agreement=****").orElse("") + "]";
    }
}
