package org.ticketledger.ticketing.report;

import java.time.Instant;
import java.util.Currency;
import java.util.List;
import java.util.Objects;
import org.ticketledger.ledger.Money;

/**
 * The platform's financial report for a period, computed from the ledger alone: the trial balance
 * after the last entry recorded at or before {@code from} and the one at or before {@code to}
 * (journal time). Every figure is a sum of {@link #accounts()} lines, so it equals what the
 * ledger's trial balance says.
 *
 * @param from              start of the period (exclusive)
 * @param to                end of the period (inclusive)
 * @param currency          the ledger's currency
 * @param fromSequence      the last entry before the period
 * @param toSequence        the last entry in the period
 * @param issuanceVolume    face value issued (credits to {@code tickets:unredeemed})
 * @param issuanceFees      net issuance fees (after refunded fees)
 * @param payoutFees        payout fees kept
 * @param margin            margin D − ΣS recognised
 * @param investmentYield   wealth-plan yield booked
 * @param breakage          unredeemed value recognised at expiry
 * @param profitShares      profit shares granted to parties (an expense)
 * @param netIncome         revenues − expenses of the period
 * @param spots             per scenic spot: redeemed, settled, outstanding
 * @param unredeemedTickets tickets' value outstanding at the end (liability)
 * @param scenicPayables    owed to scenic spots at the end
 * @param refundPayables    owed to distributors for refunds at the end
 * @param profitPayables    profit shares not yet settled at the end
 * @param expiredHeld       expired value held as a liability (breakage policy LIABILITY)
 * @param wealthPosition    principal invested in wealth plans at the end
 * @param settlementCash    Σ platform settlement accounts at the end
 * @param accounts          every account's activity, by account code
 * @param trialDebits       the closing trial balance's total debits (minor units)
 * @param trialCredits      the closing trial balance's total credits
 */
public record FinancialReport(Instant from, Instant to, Currency currency, long fromSequence, long toSequence,
                              Money issuanceVolume, Money issuanceFees, Money payoutFees, Money margin,
                              Money investmentYield, Money breakage, Money profitShares, Money netIncome,
                              List<SpotFigures> spots, Money unredeemedTickets, Money scenicPayables,
                              Money refundPayables, Money profitPayables, Money expiredHeld, Money wealthPosition,
                              Money settlementCash, List<AccountActivity> accounts, long trialDebits,
                              long trialCredits) {

    public FinancialReport {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(currency, "currency");
        Objects.requireNonNull(issuanceVolume, "issuanceVolume");
        Objects.requireNonNull(issuanceFees, "issuanceFees");
        Objects.requireNonNull(payoutFees, "payoutFees");
        Objects.requireNonNull(margin, "margin");
        Objects.requireNonNull(investmentYield, "investmentYield");
        Objects.requireNonNull(breakage, "breakage");
        Objects.requireNonNull(profitShares, "profitShares");
        Objects.requireNonNull(netIncome, "netIncome");
        spots = List.copyOf(spots);
        Objects.requireNonNull(unredeemedTickets, "unredeemedTickets");
        Objects.requireNonNull(scenicPayables, "scenicPayables");
        Objects.requireNonNull(refundPayables, "refundPayables");
        Objects.requireNonNull(profitPayables, "profitPayables");
        Objects.requireNonNull(expiredHeld, "expiredHeld");
        Objects.requireNonNull(wealthPosition, "wealthPosition");
        Objects.requireNonNull(settlementCash, "settlementCash");
        accounts = List.copyOf(accounts);
    }

    /** Whether the closing trial balance is balanced (total debits = total credits). */
    public boolean balanced() {
        return trialDebits == trialCredits;
    }
}
