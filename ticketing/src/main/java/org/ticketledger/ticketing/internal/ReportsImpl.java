package org.ticketledger.ticketing.internal;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Currency;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.ticketledger.ledger.AccountCode;
import org.ticketledger.ledger.AccountType;
import org.ticketledger.ledger.AsOf;
import org.ticketledger.ledger.Balance;
import org.ticketledger.ledger.Money;
import org.ticketledger.ledger.TrialBalance;
import org.ticketledger.ticketing.ErrorCode;
import org.ticketledger.ticketing.Outcome;
import org.ticketledger.ticketing.Problem;
import org.ticketledger.ticketing.party.Platform;
import org.ticketledger.ticketing.report.AccountActivity;
import org.ticketledger.ticketing.report.FinancialReport;
import org.ticketledger.ticketing.report.Reports;
import org.ticketledger.ticketing.report.SpotFigures;

/**
 * {@link Reports}: two as-of trial balances of the platform ledger, subtracted account by account.
 * Every headline figure is a sum over those lines, chosen by the chart of accounts ({@link Book}).
 */
final class ReportsImpl implements Reports {

    private final Ctx ctx;

    ReportsImpl(Ctx ctx) {
        this.ctx = ctx;
    }

    @Override
    public Outcome<FinancialReport> financial(LocalDate firstDay, LocalDate lastDay) {
        Optional<Platform> platform = ctx.platform();
        if (platform.isEmpty()) {
            return Outcome.refused(ErrorCode.PLATFORM_NOT_ONBOARDED, "onboard the platform first");
        }
        if (firstDay == null || lastDay == null || lastDay.isBefore(firstDay)) {
            return Outcome.refused(new Problem(ErrorCode.VALIDATION_FAILED, "invalid request: lastDay is before firstDay",
                    List.of(new Problem.FieldError("lastDay", "must not be before firstDay"))));
        }
        return financial(firstDay.atStartOfDay(platform.get().timeZone()).toInstant(),
                lastDay.plusDays(1).atStartOfDay(platform.get().timeZone()).toInstant());
    }

    @Override
    public Outcome<FinancialReport> financial(Instant from, Instant to) {
        Optional<Platform> platform = ctx.platform();
        if (platform.isEmpty()) {
            return Outcome.refused(ErrorCode.PLATFORM_NOT_ONBOARDED, "onboard the platform first");
        }
        if (from == null || to == null || !to.isAfter(from)) {
            return Outcome.refused(new Problem(ErrorCode.VALIDATION_FAILED, "invalid request: the period must end after it starts",
                    List.of(new Problem.FieldError("to", "must be after from"))));
        }
        return Outcome.ok(build(platform.get(), from, to));
    }

    FinancialReport build(Platform p, Instant from, Instant to) {
        TrialBalance open = ctx.journal.trialBalance(p.ledger(), AsOf.instant(from));
        TrialBalance close = ctx.journal.trialBalance(p.ledger(), AsOf.instant(to));
        return build(p.currency(), from, to, open, close);
    }

    static FinancialReport build(Currency cur, Instant from, Instant to, TrialBalance open, TrialBalance close) {
        Map<AccountCode, Balance> opening = new HashMap<>();
        open.lines().forEach(b -> opening.put(b.account(), b));
        Map<AccountCode, AccountActivity> lines = new TreeMap<>((a, b) -> a.value().compareTo(b.value()));
        for (Balance c : close.lines()) {
            Balance o = opening.getOrDefault(c.account(), new Balance(c.account(), c.type(), cur, 0, 0, 0, 0));
            lines.put(c.account(), new AccountActivity(c.account(), c.type(), o.posted(),
                    Money.of(Math.subtractExact(c.debitsPosted(), o.debitsPosted()), cur),
                    Money.of(Math.subtractExact(c.creditsPosted(), o.creditsPosted()), cur), c.posted()));
        }
        Money zero = Money.zero(cur);
        List<SpotFigures> spots = new ArrayList<>();
        Money scenic = zero;
        Money refunds = zero;
        Money profit = zero;
        Money wealth = zero;
        Money cash = zero;
        Money revenue = zero;
        Money expenses = zero;
        for (AccountActivity a : lines.values()) {
            String code = a.account().value();
            if (code.startsWith("scenic:") && code.endsWith(":payable")) {
                spots.add(new SpotFigures(code.substring("scenic:".length(), code.length() - ":payable".length()),
                        a.credits(), a.debits(), a.closing()));
                scenic = scenic.plus(a.closing());
            } else if (code.startsWith("distributor:") && code.endsWith(":refund-payable")) {
                refunds = refunds.plus(a.closing());
            } else if (code.startsWith("party:") && code.endsWith(":profit-payable")) {
                profit = profit.plus(a.closing());
            } else if (code.startsWith("platform:") && code.endsWith(":wealth")) {
                wealth = wealth.plus(a.closing());
            } else if (code.startsWith("platform:") && code.endsWith(":settlement")) {
                cash = cash.plus(a.closing());
            }
            if (a.type() == AccountType.REVENUE) {
                revenue = revenue.plus(a.change());
            } else if (a.type() == AccountType.EXPENSE) {
                expenses = expenses.plus(a.change());
            }
        }
        return new FinancialReport(from, to, cur, open.asOfSequence(), close.asOfSequence(),
                activity(lines, Book.UNREDEEMED, cur).credits(), change(lines, Book.ISSUANCE_FEE, cur),
                change(lines, Book.PAYOUT_FEE, cur), change(lines, Book.MARGIN, cur), change(lines, Book.INVESTMENT_YIELD, cur),
                change(lines, Book.BREAKAGE, cur), change(lines, Book.PROFIT_SHARE, cur), revenue.minus(expenses), spots,
                activity(lines, Book.UNREDEEMED, cur).closing(), scenic, refunds, profit,
                activity(lines, Book.EXPIRED, cur).closing(), wealth, cash, List.copyOf(lines.values()),
                close.totalDebits(), close.totalCredits());
    }

    private static AccountActivity activity(Map<AccountCode, AccountActivity> lines, AccountCode code, Currency cur) {
        Money zero = Money.zero(cur);
        return lines.getOrDefault(code, new AccountActivity(code, AccountType.REVENUE, zero, zero, zero, zero));
    }

    private static Money change(Map<AccountCode, AccountActivity> lines, AccountCode code, Currency cur) {
        return activity(lines, code, cur).change();
    }
}
