package org.ticketledger.ticketing.party;

import java.time.Instant;
import java.util.Objects;
import org.ticketledger.payment.PartyAccount;

/**
 * One version of a party's rail account. {@link PartyAccount#toString()} masks the agreement.
 *
 * @param partyId   the party
 * @param version   1 for the onboarding setting, then +1 per change
 * @param account   the account at the rail
 * @param changedAt when this version was set
 * @param changedBy who set it
 * @param reason    why
 */
public record AccountVersion(String partyId, int version, PartyAccount account, Instant changedAt, String changedBy,
                             String reason) {

    public AccountVersion {
        Objects.requireNonNull(partyId, "partyId");
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(changedAt, "changedAt");
        Objects.requireNonNull(changedBy, "changedBy");
        Objects.requireNonNull(reason, "reason");
        if (version < 1) {
            throw new IllegalArgumentException("version must be >= 1");
        }
    }
}
