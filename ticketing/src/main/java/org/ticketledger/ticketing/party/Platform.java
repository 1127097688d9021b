package org.ticketledger.ticketing.party;

import java.time.Instant;
import java.time.ZoneId;
import java.util.Currency;
import java.util.Map;
import java.util.Objects;
import org.ticketledger.ledger.LedgerId;
import org.ticketledger.payment.PartyAccount;
import org.ticketledger.payment.RailId;

/**
 * The onboarded platform.
 *
 * @param name               its name
 * @param ledger             the ledger its money is booked in
 * @param currency           the ledger's currency
 * @param adminPhone         the administrator's phone for SMS
 * @param timeZone           the zone visit dates are read in
 * @param settlementAccounts its own account per rail (current versions)
 * @param createdAt          when it was onboarded
 */
public record Platform(String name, LedgerId ledger, Currency currency, String adminPhone, ZoneId timeZone,
                       Map<RailId, PartyAccount> settlementAccounts, Instant createdAt) {

    public Platform {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(ledger, "ledger");
        Objects.requireNonNull(currency, "currency");
        Objects.requireNonNull(adminPhone, "adminPhone");
        Objects.requireNonNull(timeZone, "timeZone");
        settlementAccounts = Map.copyOf(settlementAccounts);
        Objects.requireNonNull(createdAt, "createdAt");
    }

    /** Whether the platform settles on {@code rail}. */
    public boolean settlesOn(RailId rail) {
        return settlementAccounts.containsKey(rail);
    }
}
