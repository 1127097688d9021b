package org.ticketledger.example;

import java.io.PrintStream;
import org.ticketledger.ledger.Account;
import org.ticketledger.ledger.AccountType;
import org.ticketledger.ledger.AsOf;
import org.ticketledger.ledger.Balance;
import org.ticketledger.ledger.BalancePolicy;
import org.ticketledger.ledger.Entry;
import org.ticketledger.ledger.EntryRequest;
import org.ticketledger.ledger.LedgerId;
import org.ticketledger.ledger.Money;
import org.ticketledger.ledger.PostResult;
import org.ticketledger.ledger.TrialBalance;
import org.ticketledger.ledger.VerificationReport;
import org.ticketledger.ledger.postgres.EmbeddedDatabase;
import org.ticketledger.ledger.postgres.PostgresJournal;

/**
 * A small walk through the ledger on a throw-away embedded PostgreSQL: one ticket issued and
 * collected, redeemed, paid out to the scenic spot; then the trial balance and a verification of the
 * hash chain. Exits non-zero if the books do not balance or the chain does not verify.
 */
public final class LedgerDemo {

    private LedgerDemo() {
    }

    /** Runs the demo on standard output and exits with its code. */
    public static void main(String[] args) throws Exception {
        System.exit(run(System.out));
    }

    /** Runs the demo, printing to {@code out}; returns 0 if the books balance and the chain verifies, else 1. */
    public static int run(PrintStream out) throws Exception {
        try (EmbeddedDatabase db = EmbeddedDatabase.startTemporary();
             PostgresJournal journal = PostgresJournal.builder().jdbcUrl(db.jdbcUrl("postgres")).username(db.user()).build()) {
            out.println("TicketLedger ledger demo — embedded PostgreSQL on port " + db.port());
            LedgerId l = LedgerId.of("platform-cny");
            journal.createLedger(l, Money.CNY);
            journal.openAccount(Account.of(l, "platform:alipay:settlement", AccountType.ASSET, BalancePolicy.CREDITS_MUST_NOT_EXCEED_DEBITS));
            journal.openAccount(Account.of(l, "tickets:unredeemed", AccountType.LIABILITY, BalancePolicy.DEBITS_MUST_NOT_EXCEED_CREDITS));
            journal.openAccount(Account.of(l, "revenue:issuance-fee", AccountType.REVENUE, BalancePolicy.NONE));
            journal.openAccount(Account.of(l, "revenue:margin", AccountType.REVENUE, BalancePolicy.NONE));
            journal.openAccount(Account.of(l, "revenue:payout-fee", AccountType.REVENUE, BalancePolicy.NONE));
            journal.openAccount(Account.of(l, "scenic:west-lake:payable", AccountType.LIABILITY, BalancePolicy.DEBITS_MUST_NOT_EXCEED_CREDITS));

            Money d = Money.parseCny("100.00");
            Money fee = Money.parseCny("1.00");
            Money s = Money.parseCny("90.00");
            Money payoutFee = Money.parseCny("0.90");
            show(out, journal.post(EntryRequest.builder(l, "order:o-1:collected", "issuance")
                    .debit("platform:alipay:settlement", d.plus(fee)).credit("tickets:unredeemed", d).credit("revenue:issuance-fee", fee)
                    .meta("order", "o-1").build()));
            show(out, journal.post(EntryRequest.builder(l, "ticket:t-1:redeemed", "redemption")
                    .debit("tickets:unredeemed", d).credit("scenic:west-lake:payable", s).credit("revenue:margin", d.minus(s))
                    .meta("ticket", "t-1").build()));
            show(out, journal.post(EntryRequest.builder(l, "payout:t-1:paid", "payout")
                    .debit("scenic:west-lake:payable", s).credit("platform:alipay:settlement", s.minus(payoutFee))
                    .credit("revenue:payout-fee", payoutFee).meta("ticket", "t-1").build()));
            PostResult again = journal.post(EntryRequest.builder(l, "order:o-1:collected", "issuance")
                    .debit("platform:alipay:settlement", d.plus(fee)).credit("tickets:unredeemed", d).credit("revenue:issuance-fee", fee)
                    .meta("order", "o-1").build());
            out.println("  retry of order:o-1:collected -> " + again.getClass().getSimpleName() + " (nothing written twice)");

            TrialBalance tb = journal.trialBalance(l, AsOf.latest());
            out.println();
            out.printf("%-30s %14s %14s %14s%n", "account", "debits", "credits", "balance");
            for (Balance b : tb.lines()) {
                out.printf("%-30s %14s %14s %14s%n", b.account(), Money.cny(b.debitsPosted()).toDecimalString(),
                        Money.cny(b.creditsPosted()).toDecimalString(), b.posted().toDecimalString());
            }
            out.printf("%-30s %14s %14s%n", "total", Money.cny(tb.totalDebits()).toDecimalString(), Money.cny(tb.totalCredits()).toDecimalString());
            VerificationReport report = journal.verify(l);
            out.println();
            out.println("trial balance " + (tb.balanced() ? "balanced" : "NOT BALANCED") + "; hash chain over "
                    + report.entriesChecked() + " entries " + (report.ok() ? "verified" : "BROKEN: " + report.problems()));
            return tb.balanced() && report.ok() ? 0 : 1;
        }
    }

    private static void show(PrintStream out, PostResult r) {
        Entry e = r.acceptedEntry().orElseThrow(() -> new IllegalStateException("demo entry refused: " + r));
        out.printf("  #%d %-10s %-24s %s  hash %s…%n", e.sequence(), e.type(), e.idempotencyKey(), e.total(), e.hash().toHex().substring(0, 16));
    }
}
