package org.ticketledger.example.console;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.ticketledger.example.console.view.Models;
import org.ticketledger.example.console.view.Page;
import org.ticketledger.ledger.AccountCode;
import org.ticketledger.ledger.AsOf;
import org.ticketledger.ledger.Balance;
import org.ticketledger.ledger.Entry;
import org.ticketledger.ledger.EntryKind;
import org.ticketledger.ledger.Journal;
import org.ticketledger.ledger.Money;
import org.ticketledger.ledger.Posting;
import org.ticketledger.ledger.Side;
import org.ticketledger.ledger.TrialBalance;
import org.ticketledger.ticketing.Ticketing;
import org.ticketledger.ticketing.party.Platform;
import org.ticketledger.ticketing.reconcile.ReconciliationReport;

/**
 * Balances: the platform's rail accounts against what the rails report (differences
 * highlighted), the wealth position, every ledger account, and from each a statement that drills
 * down to the entries.
 */
final class BookPages {

    private static final Logger LOG = LoggerFactory.getLogger(BookPages.class);
    private static final int PAGE = 50;
    private static final int WINDOW = 500;
    /** How far back one statement page looks for the account's entries before offering "older". */
    private static final int MAX_SCANNED = 20_000;

    private final Web web;
    private final Ticketing ticketing;
    private final Journal journal;

    BookPages(Web web, Ticketing ticketing, Journal journal) {
        this.web = web;
        this.ticketing = ticketing;
        this.journal = journal;
    }

    void register(RoutesConfig r) {
        web.get(r, Console.PREFIX + "/balances", this::balances);
        web.get(r, Console.PREFIX + "/statement", this::statement);
        web.get(r, Console.PREFIX + "/entries/{sequence}", this::entry);
    }

    private void balances(Context ctx, Sessions.Session s) {
        Page p = web.page(ctx, s, "balances.title", "balances");
        Optional<Platform> platform = ticketing.parties().platform();
        if (platform.isEmpty()) {
            web.error(ctx, s, 200, "error.notOnboarded");
            return;
        }
        Optional<ReconciliationReport> rec = Optional.empty();
        Optional<String> recError = Optional.empty();
        try {
            rec = Optional.of(ticketing.reconciliation().check());
        } catch (RuntimeException e) {
            LOG.warn("reconciliation failed", e);
            recError = Optional.of(p.t("balances.unavailable"));
        }
        TrialBalance tb = journal.trialBalance(platform.get().ledger(), AsOf.latest());
        List<Balance> wealth = tb.lines().stream().filter(b -> isWealth(b.account().value())).toList();
        web.render(ctx, 200, "balances", p, "b", new Models.Balances(rec, recError, wealth, tb.lines(), tb.balanced(),
                Money.of(tb.totalDebits(), tb.currency()), Money.of(tb.totalCredits(), tb.currency())));
    }

    /** {@code platform:<rail>:wealth}: principal the platform holds in wealth plans. */
    static boolean isWealth(String code) {
        return code.startsWith("platform:") && code.endsWith(":wealth");
    }

    private void statement(Context ctx, Sessions.Session s) {
        Optional<Platform> platform = ticketing.parties().platform();
        AccountCode code;
        try {
            code = AccountCode.of(Optional.ofNullable(ctx.queryParam("account")).orElse(""));
        } catch (IllegalArgumentException e) {
            web.error(ctx, s, 404, "error.notFound");
            return;
        }
        if (platform.isEmpty() || journal.account(platform.get().ledger(), code).isEmpty()) {
            web.error(ctx, s, 404, "error.notFound");
            return;
        }
        var ledger = platform.get().ledger();
        long head = journal.head(ledger).lastSequence();
        long before = parseLong(ctx.queryParam("before")).filter(b -> b > 0 && b <= head + 1).orElse(head + 1);
        Optional<Balance> now = journal.balance(ledger, code);
        Balance at = journal.balance(ledger, code, AsOf.sequence(before - 1)).orElseThrow();
        boolean debitNormal = at.type().normalSide() == Side.DEBIT;
        Money running = at.posted();
        List<Models.StatementLine> lines = new ArrayList<>();
        long next = before - 1;
        long scanned = 0;
        while (next >= 1 && lines.size() < PAGE && scanned < MAX_SCANNED) {
            long from = Math.max(1, next - WINDOW + 1);
            List<Entry> window = journal.entries(ledger, from, (int) (next - from + 1));
            scanned += window.size();
            for (int i = window.size() - 1; i >= 0 && lines.size() < PAGE; i--) {
                Entry e = window.get(i);
                next = e.sequence() - 1;
                List<Posting> mine = e.postings().stream().filter(x -> x.account().equals(code)).toList();
                if (mine.isEmpty()) {
                    continue;
                }
                boolean moves = e.kind() == EntryKind.STANDARD || e.kind() == EntryKind.REVERSAL || e.kind() == EntryKind.HOLD_POST;
                String others = String.join(", ", e.postings().stream().filter(x -> !x.account().equals(code))
                        .map(x -> x.account().value()).distinct().toList());
                Money after = running;
                for (Posting x : mine) {
                    lines.add(new Models.StatementLine(e.sequence(), e.recordedAt(),
                            e.type() + (moves ? "" : " (" + e.kind().name().toLowerCase(java.util.Locale.ROOT) + ")"),
                            x.side().name(), x.amount(), after, others));
                    if (moves) {
                        boolean up = (x.side() == Side.DEBIT) == debitNormal;
                        running = up ? running.minus(x.amount()) : running.plus(x.amount());
                    }
                }
            }
            if (window.isEmpty()) {
                break;
            }
        }
        Page p = web.page(ctx, s, "statement.title", "balances", code.value());
        web.render(ctx, 200, "statement", p, "st", new Models.Statement(code.value(), now, lines,
                next >= 1 ? OptionalLong.of(next + 1) : OptionalLong.empty()));
    }

    private void entry(Context ctx, Sessions.Session s) {
        Optional<Platform> platform = ticketing.parties().platform();
        Optional<Long> seq = parseLong(ctx.pathParam("sequence"));
        Optional<Entry> e = platform.isEmpty() || seq.isEmpty() ? Optional.empty()
                : journal.entry(platform.get().ledger(), seq.get());
        if (e.isEmpty()) {
            web.error(ctx, s, 404, "error.notFound");
            return;
        }
        Page p = web.page(ctx, s, "entry.title", "balances", e.get().sequence());
        web.render(ctx, 200, "entry", p, "e", e.get());
    }

    private static Optional<Long> parseLong(String v) {
        if (v == null || !v.matches("[0-9]{1,18}")) {
            return Optional.empty();
        }
        return Optional.of(Long.parseLong(v));
    }
}
