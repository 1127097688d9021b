package org.ticketledger.ticketing.party;

import java.util.List;
import java.util.Optional;
import org.ticketledger.ledger.Money;
import org.ticketledger.payment.RailId;
import org.ticketledger.ticketing.Outcome;

/**
 * Onboarding and account settings. Refusals are {@link Outcome.Refused} with a stable code; a
 * refused request writes nothing. {@code actor} names who acts, for the audit log. Thread-safe.
 */
public interface Parties {

    /** Onboards the platform once: its ledger, chart of accounts and settlement accounts. */
    Outcome<Platform> onboardPlatform(PlatformRegistration registration, String actor);

    /** The platform, once onboarded. */
    Optional<Platform> platform();

    /** Onboards a scenic spot and opens its payable account in the ledger. */
    Outcome<ScenicSpot> onboardScenicSpot(ScenicSpotRegistration registration, String actor);

    /** Onboards a distributor. */
    Outcome<Distributor> onboardDistributor(DistributorRegistration registration, String actor);

    /**
     * Sets a new version of a spot's receiving or a distributor's payment account. Orders and
     * payouts created before keep the version they started with.
     */
    Outcome<AccountVersion> changeAccount(String partyId, AccountSetting setting, String actor, String reason);

    Optional<ScenicSpot> scenicSpot(String id);

    Optional<Distributor> distributor(String id);

    /** Every version of the party's account, oldest first; empty for an unknown party. */
    List<AccountVersion> accountHistory(String partyId);

    /** The audit records about {@code subject}, oldest first. */
    List<AuditRecord> audit(String subject);

    /**
     * Books money the platform put into its own settlement account at a rail (a top-up, or the
     * opening balance): Dr {@code platform:<rail>:settlement} / Cr {@code equity:platform-funding}.
     * Idempotent by {@code reference}.
     */
    Outcome<Money> recordFunding(RailId rail, Money amount, String reference, String actor);
}
