package org.ticketledger.cli.internal.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.ticketledger.cli.internal.audit.LedgerAudit;
import org.ticketledger.cli.internal.journal.Timestamps;
import org.ticketledger.ledger.Balance;
import org.ticketledger.ledger.Money;
import org.ticketledger.ledger.TrialBalance;

/** Builds the trial-balance and balances reports from a replayed ledger. */
public final class Reports {

    private Reports() {
    }

    /**
     * The classic trial balance: each account's net posted balance in the debit or the credit
     * column; in a sound ledger the two columns add up to the same total.
     */
    public static Report trialBalance(LedgerAudit audit) {
        TrialBalance tb = audit.trialBalance().orElseThrow(() -> new IllegalStateException("no balances rebuilt"));
        List<List<String>> rows = new ArrayList<>();
        long debitColumn = 0;
        long creditColumn = 0;
        for (Balance b : tb.lines()) {
            long net = Math.subtractExact(b.debitsPosted(), b.creditsPosted());
            String debit = net > 0 ? money(b, net) : "";
            String credit = net < 0 ? money(b, Math.negateExact(net)) : "";
            if (net > 0) {
                debitColumn = Math.addExact(debitColumn, net);
            } else {
                creditColumn = Math.subtractExact(creditColumn, net);
            }
            rows.add(List.of(b.account().value(), b.type().name(), debit, credit));
        }
        Map<String, String> facts = facts(audit);
        facts.put("totalDebitsPosted", Money.of(tb.totalDebits(), tb.currency()).toDecimalString());
        facts.put("totalCreditsPosted", Money.of(tb.totalCredits(), tb.currency()).toDecimalString());
        facts.put("balanced", tb.balanced() && debitColumn == creditColumn ? "yes" : "NO");
        return new Report("Trial balance", facts,
                List.of(Report.Column.text("account"), Report.Column.text("type"), Report.Column.amount("debit"),
                        Report.Column.amount("credit")),
                rows, Optional.of(List.of("total", "", Money.of(debitColumn, tb.currency()).toDecimalString(),
                Money.of(creditColumn, tb.currency()).toDecimalString())));
    }

    /** Every account's four totals, posted balance (on its normal side) and available balance. */
    public static Report balances(LedgerAudit audit) {
        List<List<String>> rows = new ArrayList<>();
        long[] sums = new long[4];
        java.util.Currency currency = audit.head().ledger().currency();
        for (Balance b : audit.balances().values()) {
            rows.add(List.of(b.account().value(), b.type().name(), money(b, b.debitsPosted()), money(b, b.creditsPosted()),
                    money(b, b.debitsPending()), money(b, b.creditsPending()), b.posted().toDecimalString(),
                    b.available().toDecimalString()));
            sums[0] = Math.addExact(sums[0], b.debitsPosted());
            sums[1] = Math.addExact(sums[1], b.creditsPosted());
            sums[2] = Math.addExact(sums[2], b.debitsPending());
            sums[3] = Math.addExact(sums[3], b.creditsPending());
        }
        return new Report("Balances", facts(audit),
                List.of(Report.Column.text("account"), Report.Column.text("type"), Report.Column.amount("debitsPosted"),
                        Report.Column.amount("creditsPosted"), Report.Column.amount("debitsPending"),
                        Report.Column.amount("creditsPending"), Report.Column.amount("posted"),
                        Report.Column.amount("available")),
                rows, Optional.of(List.of("total", "", dec(sums[0], currency), dec(sums[1], currency),
                dec(sums[2], currency), dec(sums[3], currency), "", "")));
    }

    static Map<String, String> facts(LedgerAudit audit) {
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("ledger", audit.head().ledger().id().value());
        facts.put("currency", audit.head().ledger().currency().getCurrencyCode());
        facts.put("asOfSequence", Long.toString(audit.lastSequence()));
        facts.put("asOfRecordedAt", audit.lastRecordedAt().map(Timestamps::format).orElse(""));
        facts.put("entries", Long.toString(audit.entriesApplied()));
        return facts;
    }

    static String money(Balance b, long minor) {
        return Money.of(minor, b.currency()).toDecimalString();
    }

    static String dec(long minor, java.util.Currency currency) {
        return Money.of(minor, currency).toDecimalString();
    }
}
