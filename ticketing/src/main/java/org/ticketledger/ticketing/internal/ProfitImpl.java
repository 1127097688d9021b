package org.ticketledger.ticketing.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Currency;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.ticketledger.ledger.AccountCode;
import org.ticketledger.ledger.EntryRequest;
import org.ticketledger.ledger.LedgerId;
import org.ticketledger.ledger.Money;
import org.ticketledger.ledger.PostResult;
import org.ticketledger.ledger.RejectionReason;
import org.ticketledger.ticketing.ErrorCode;
import org.ticketledger.ticketing.Outcome;
import org.ticketledger.ticketing.Problem;
import org.ticketledger.ticketing.TicketingException;
import org.ticketledger.ticketing.UnableToRecordEntryException;
import org.ticketledger.ticketing.party.AccountVersion;
import org.ticketledger.ticketing.party.Platform;
import org.ticketledger.ticketing.profit.OfflineSettlement;
import org.ticketledger.ticketing.profit.ProfitDistribution;
import org.ticketledger.ticketing.profit.ProfitRule;
import org.ticketledger.ticketing.profit.ProfitRun;
import org.ticketledger.ticketing.profit.ProfitRunState;
import org.ticketledger.ticketing.profit.ProfitShare;
import org.ticketledger.ticketing.profit.RevenueStream;
import org.ticketledger.ticketing.profit.SettlementMode;
import org.ticketledger.ticketing.report.FinancialReport;

/**
 * {@link ProfitDistribution} on Postgres and the ledger. A run is computed from the period's
 * report (the same trial balances), approved by a second admin, then booked:
 * Dr {@code expense:profit-share} / Cr {@code party:<id>:profit-payable}. Online runs pay each
 * beneficiary through the payout machinery (held, queried before retry, paid once); the payout
 * job books the run's entry first if approval was interrupted. Offline runs are exported and
 * confirmed by an admin.
 */
final class ProfitImpl implements ProfitDistribution {

    private static final Logger LOG = LoggerFactory.getLogger(ProfitImpl.class);

    private final Ctx ctx;
    private final Book book;
    private final ReportsImpl reports;

    ProfitImpl(Ctx ctx, Book book, ReportsImpl reports) {
        this.ctx = ctx;
        this.book = book;
        this.reports = reports;
    }

    // ---------------------------------------------------------------- rules

    @Override
    public Outcome<List<ProfitRule>> setRules(List<ProfitRule> rules, String actor) {
        if (rules == null) {
            return Outcome.refused(new Problem(ErrorCode.VALIDATION_FAILED, "invalid request: rules are required",
                    List.of(new Problem.FieldError("rules", "must not be null"))));
        }
        Set<String> seen = new HashSet<>();
        Map<RevenueStream, Integer> perStream = new HashMap<>();
        for (int i = 0; i < rules.size(); i++) {
            ProfitRule r = rules.get(i);
            if (r == null) {
                return Outcome.refused(field("rules[" + i + "]", "must not be null"));
            }
            Optional<Problem> invalid = ctx.validation.check(r);
            if (invalid.isPresent()) {
                return Outcome.refused(invalid.get());
            }
            if (!seen.add(r.beneficiaryId() + "|" + r.stream())) {
                return Outcome.refused(field("rules[" + i + "]", "a second rule for " + r.beneficiaryId() + " on " + r.stream()));
            }
            if (ctx.db.read(h -> h.createQuery("SELECT 1 FROM ticketing.parties WHERE party_id = :id").bind("id", r.beneficiaryId())
                    .mapTo(Integer.class).findOne()).isEmpty()) {
                return Outcome.refused(ErrorCode.UNKNOWN_PARTY, "no scenic spot or distributor " + r.beneficiaryId()
                        + " (rules[" + i + "])");
            }
            int sum = perStream.merge(r.stream(), r.basisPoints(), Integer::sum);
            if (sum > 10_000) {
                return Outcome.refused(field("rules", "the shares of " + r.stream() + " add up to " + sum
                        + " basis points, more than 10000"));
            }
        }
        ctx.db.tx(h -> {
            h.createUpdate("DELETE FROM ticketing.profit_rules").execute();
            for (ProfitRule r : rules) {
                h.createUpdate("INSERT INTO ticketing.profit_rules (beneficiary_id, stream, basis_points, updated_at, updated_by)"
                                + " VALUES (:b, :s, :bp, :now, :by)")
                        .bind("b", r.beneficiaryId()).bind("s", r.stream().name()).bind("bp", r.basisPoints())
                        .bind("now", Db.ts(ctx.now())).bind("by", actor).execute();
            }
            Audit.record(h, ctx, actor, "profit.rules-set", "profit", rules.toString());
            return null;
        });
        return Outcome.ok(rules());
    }

    @Override
    public List<ProfitRule> rules() {
        return ctx.db.read(h -> h.createQuery("SELECT * FROM ticketing.profit_rules ORDER BY beneficiary_id, stream")
                .map((rs, c) -> new ProfitRule(rs.getString("beneficiary_id"), RevenueStream.valueOf(rs.getString("stream")),
                        rs.getInt("basis_points")))
                .list());
    }

    // ---------------------------------------------------------------- runs

    @Override
    public Outcome<ProfitRun> propose(Instant from, Instant to, SettlementMode mode, String actor) {
        Optional<Platform> platformOpt = ctx.platform();
        if (platformOpt.isEmpty()) {
            return Outcome.refused(ErrorCode.PLATFORM_NOT_ONBOARDED, "onboard the platform first");
        }
        if (from == null || to == null || mode == null || !to.isAfter(from)) {
            return Outcome.refused(field("to", "the period must end after it starts, and a mode is required"));
        }
        if (to.isAfter(ctx.now())) {
            return Outcome.refused(field("to", "the period must have ended (it ends " + to + ")"));
        }
        List<ProfitRule> rules = rules();
        if (rules.isEmpty()) {
            return Outcome.refused(field("rules", "no profit rules are configured"));
        }
        Platform platform = platformOpt.get();
        FinancialReport report = reports.build(platform, from, to);
        Currency cur = platform.currency();
        Map<RevenueStream, Money> base = new HashMap<>();
        for (RevenueStream s : RevenueStream.values()) {
            Money change = report.accounts().stream().filter(a -> a.account().equals(s.account())).findFirst()
                    .map(a -> a.change()).orElse(Money.zero(cur));
            // A stream that lost money in the period shares nothing (losses are the platform's).
            base.put(s, change.isPositive() ? change : Money.zero(cur));
        }
        List<ProfitShare> shares = new ArrayList<>();
        long total = 0;
        for (ProfitRule r : rules) {
            Money b = base.get(r.stream());
            long amount = Math.multiplyExact(b.minor() / 10_000, r.basisPoints()) + (b.minor() % 10_000) * r.basisPoints() / 10_000;
            shares.add(new ProfitShare(r.beneficiaryId(), r.stream(), b, r.basisPoints(), Money.of(amount, cur)));
            total = Math.addExact(total, amount);
        }
        String id = Ids.next("pr", ctx.clock);
        long sum = total;
        try {
            ctx.db.tx(h -> {
                // One proposer at a time, so two overlapping runs cannot both pass the check.
                h.execute("SELECT pg_advisory_xact_lock(hashtext('ticketing.profit_runs'))");
                Optional<String> overlap = h.createQuery("SELECT run_id FROM ticketing.profit_runs WHERE state <> 'REJECTED'"
                                + " AND period_from < :to AND period_to > :from LIMIT 1")
                        .bind("from", Db.ts(from)).bind("to", Db.ts(to)).mapTo(String.class).findOne();
                if (overlap.isPresent()) {
                    throw new Db.Refusal(Problem.of(ErrorCode.PERIOD_OVERLAPS, "profit run " + overlap.get()
                            + " already covers part of " + from + " .. " + to));
                }
                Instant now = ctx.now();
                h.createUpdate("INSERT INTO ticketing.profit_runs (run_id, period_from, period_to, mode, state, currency,"
                                + " total_minor, from_sequence, to_sequence, proposed_by, proposed_at)"
                                + " VALUES (:id, :from, :to, :mode, 'PROPOSED', :cur, :total, :fs, :ts, :by, :now)")
                        .bind("id", id).bind("from", Db.ts(from)).bind("to", Db.ts(to)).bind("mode", mode.name())
                        .bind("cur", cur.getCurrencyCode()).bind("total", sum).bind("fs", report.fromSequence())
                        .bind("ts", report.toSequence()).bind("by", actor).bind("now", Db.ts(now)).execute();
                for (ProfitShare s : shares) {
                    h.createUpdate("INSERT INTO ticketing.profit_shares (run_id, beneficiary_id, stream, base_minor, basis_points,"
                                    + " amount_minor) VALUES (:id, :b, :s, :base, :bp, :amount)")
                            .bind("id", id).bind("b", s.beneficiaryId()).bind("s", s.stream().name()).bind("base", s.base().minor())
                            .bind("bp", s.basisPoints()).bind("amount", s.amount().minor()).execute();
                }
                Audit.record(h, ctx, actor, "profit.proposed", id, mode + " " + from + " .. " + to + " total "
                        + Money.of(sum, cur).toDecimalString());
                return null;
            });
        } catch (Db.Refusal r) {
            return Outcome.refused(r.problem());
        }
        return Outcome.ok(run(id).orElseThrow());
    }

    @Override
    public Outcome<ProfitRun> approve(String runId, String actor) {
        Optional<ProfitRun> found = run(runId);
        if (found.isEmpty()) {
            return Outcome.refused(ErrorCode.UNKNOWN_PROFIT_RUN, "no profit run " + runId);
        }
        ProfitRun run = found.get();
        if (run.state() == ProfitRunState.REJECTED) {
            return Outcome.refused(ErrorCode.INVALID_STATE, "profit run " + runId + " was rejected");
        }
        if (actor == null || actor.isBlank() || actor.equals(run.proposedBy())) {
            return Outcome.refused(ErrorCode.APPROVER_IS_PROPOSER, "profit run " + runId + " was proposed by "
                    + run.proposedBy() + "; another admin must approve it");
        }
        if (run.state() == ProfitRunState.PROPOSED) {
            Map<String, Money> totals = run.byBeneficiary();
            Map<String, AccountVersion> accounts = new HashMap<>();
            for (String b : totals.keySet()) {
                accounts.put(b, ctx.db.read(h -> PartiesImpl.accountVersion(h, b, h.createQuery("SELECT account_version"
                        + " FROM ticketing.parties WHERE party_id = :id").bind("id", b).mapTo(Integer.class).one())));
            }
            Platform platform = ctx.platform().orElseThrow();
            for (Map.Entry<String, Money> e : totals.entrySet()) {
                if (e.getValue().isPositive()) {
                    book.openProfitPayable(platform.ledger(), e.getKey());
                    if (run.mode() == SettlementMode.ONLINE && !platform.settlesOn(accounts.get(e.getKey()).account().rail())) {
                        return Outcome.refused(ErrorCode.UNSUPPORTED_RAIL, e.getKey() + " is paid on "
                                + accounts.get(e.getKey()).account().rail() + ", where the platform holds no account");
                    }
                }
            }
            boolean moved = ctx.db.tx(h -> {
                int n = h.createUpdate("UPDATE ticketing.profit_runs SET state = 'APPROVED', decided_by = :by, decided_at = :now"
                                + " WHERE run_id = :id AND state = 'PROPOSED'")
                        .bind("by", actor).bind("now", Db.ts(ctx.now())).bind("id", runId).execute();
                if (n == 1 && run.mode() == SettlementMode.ONLINE) {
                    for (Map.Entry<String, Money> e : totals.entrySet()) {
                        if (e.getValue().isPositive()) {
                            AccountVersion a = accounts.get(e.getKey());
                            PayoutsImpl.insertProfitShare(h, ctx, Ids.next("po", ctx.clock), runId, e.getKey(), a.version(),
                                    a.account().rail(), e.getValue());
                        }
                    }
                }
                if (n == 1) {
                    Audit.record(h, ctx, actor, "profit.approved", runId, run.mode() + " total " + run.total().toDecimalString());
                }
                return n == 1;
            });
            if (!moved) {
                return Outcome.refused(ErrorCode.INVALID_STATE, "profit run " + runId + " changed state meanwhile; look again");
            }
        }
        bookRun(runId);
        return Outcome.ok(run(runId).orElseThrow());
    }

    @Override
    public Outcome<ProfitRun> reject(String runId, String actor, String reason) {
        Optional<ProfitRun> found = run(runId);
        if (found.isEmpty()) {
            return Outcome.refused(ErrorCode.UNKNOWN_PROFIT_RUN, "no profit run " + runId);
        }
        if (reason == null || reason.isBlank() || reason.length() > 200) {
            return Outcome.refused(field("reason", "must have 1-200 characters"));
        }
        boolean moved = ctx.db.tx(h -> {
            int n = h.createUpdate("UPDATE ticketing.profit_runs SET state = 'REJECTED', decided_by = :by, decided_at = :now,"
                            + " decision_note = :why WHERE run_id = :id AND state = 'PROPOSED'")
                    .bind("by", actor).bind("now", Db.ts(ctx.now())).bind("why", reason).bind("id", runId).execute();
            if (n == 1) {
                Audit.record(h, ctx, actor, "profit.rejected", runId, reason);
            }
            return n == 1;
        });
        if (!moved) {
            return Outcome.refused(ErrorCode.INVALID_STATE, "profit run " + runId + " is " + found.get().state()
                    + "; only a proposed run can be rejected");
        }
        return Outcome.ok(run(runId).orElseThrow());
    }

    @Override
    public Outcome<String> export(String runId) {
        Optional<ProfitRun> found = run(runId);
        if (found.isEmpty()) {
            return Outcome.refused(ErrorCode.UNKNOWN_PROFIT_RUN, "no profit run " + runId);
        }
        ProfitRun run = found.get();
        if (run.state() != ProfitRunState.APPROVED && run.state() != ProfitRunState.SETTLED) {
            return Outcome.refused(ErrorCode.INVALID_STATE, "profit run " + runId + " is " + run.state()
                    + "; only an approved run is exported");
        }
        StringBuilder b = new StringBuilder("run_id,beneficiary_id,name,rail,account,amount,currency\r\n");
        ctx.db.read(h -> {
            for (Map.Entry<String, Money> e : run.byBeneficiary().entrySet()) {
                if (!e.getValue().isPositive()) {
                    continue;
                }
                String name = h.createQuery("SELECT name FROM ticketing.parties WHERE party_id = :id").bind("id", e.getKey())
                        .mapTo(String.class).one();
                int v = h.createQuery("SELECT account_version FROM ticketing.parties WHERE party_id = :id").bind("id", e.getKey())
                        .mapTo(Integer.class).one();
                AccountVersion a = PartiesImpl.accountVersion(h, e.getKey(), v);
                b.append(String.join(",", runId, e.getKey(), csv(name), a.account().rail().value(), csv(a.account().identity()),
                        e.getValue().toDecimalString(), e.getValue().currency().getCurrencyCode())).append("\r\n");
            }
            return null;
        });
        return Outcome.ok(b.toString());
    }

    @Override
    public Outcome<ProfitRun> confirmOffline(String runId, OfflineSettlement settlement, String actor) {
        Optional<Problem> invalid = settlement == null ? Optional.of(field("settlement", "must not be null"))
                : ctx.validation.check(settlement);
        if (invalid.isPresent()) {
            return Outcome.refused(invalid.get());
        }
        Optional<ProfitRun> found = run(runId);
        if (found.isEmpty()) {
            return Outcome.refused(ErrorCode.UNKNOWN_PROFIT_RUN, "no profit run " + runId);
        }
        ProfitRun run = found.get();
        if (run.mode() != SettlementMode.OFFLINE || (run.state() != ProfitRunState.APPROVED
                && !(run.state() == ProfitRunState.SETTLED && run.settledReference().equals(Optional.of(settlement.reference()))))) {
            return Outcome.refused(ErrorCode.INVALID_STATE, "profit run " + runId + " is an " + run.mode() + " run in state "
                    + run.state() + "; only an approved offline run is confirmed");
        }
        Platform platform = ctx.platform().orElseThrow();
        if (settlement.paidFrom().isPresent() && !platform.settlesOn(settlement.paidFrom().get())) {
            return Outcome.refused(ErrorCode.UNSUPPORTED_RAIL, "the platform has no account on " + settlement.paidFrom().get());
        }
        bookRun(runId);
        if (run.total().isPositive()) {
            AccountCode from = settlement.paidFrom().map(Book::settlement).orElse(Book.FUNDING);
            EntryRequest.Builder b = Book.standard(platform.ledger(), "profit:" + runId + ":settled-offline", "profit-settlement");
            for (Map.Entry<String, Money> e : run.byBeneficiary().entrySet()) {
                if (e.getValue().isPositive()) {
                    b.debit(Book.profitPayable(e.getKey()), e.getValue());
                }
            }
            b.credit(from, run.total()).meta("run", runId).meta("reference", settlement.reference());
            PostResult r = book.tryPost(b.build());
            if (r instanceof PostResult.Rejected rej) {
                if (rej.reason() == RejectionReason.INSUFFICIENT_BALANCE) {
                    return Outcome.refused(ErrorCode.INVALID_AMOUNT, "the ledger balance of " + from + " is below "
                            + run.total().toDecimalString() + "; record the funding first");
                }
                if (rej.reason() == RejectionReason.IDEMPOTENCY_CONFLICT) {
                    return Outcome.refused(ErrorCode.IDEMPOTENCY_CONFLICT, "profit run " + runId
                            + " was confirmed before with another source account");
                }
                throw new UnableToRecordEntryException("ledger refused the settlement of " + runId + ": " + rej.reason());
            }
        }
        ctx.db.tx(h -> {
            int n = h.createUpdate("UPDATE ticketing.profit_runs SET state = 'SETTLED', settled_reference = :ref, settled_at = :now"
                            + " WHERE run_id = :id AND state = 'APPROVED'")
                    .bind("ref", settlement.reference()).bind("now", Db.ts(ctx.now())).bind("id", runId).execute();
            if (n == 1) {
                Audit.record(h, ctx, actor, "profit.settled-offline", runId, settlement.reference()
                        + settlement.paidFrom().map(r -> " from " + r).orElse(" from outside funds"));
            }
            return null;
        });
        return Outcome.ok(run(runId).orElseThrow());
    }

    @Override
    public Optional<ProfitRun> run(String runId) {
        return ctx.db.read(h -> load(h, runId));
    }

    @Override
    public List<ProfitRun> runs() {
        return ctx.db.read(h -> {
            List<ProfitRun> out = new ArrayList<>();
            for (String id : h.createQuery("SELECT run_id FROM ticketing.profit_runs ORDER BY period_to DESC, run_id")
                    .mapTo(String.class).list()) {
                load(h, id).ifPresent(out::add);
            }
            return out;
        });
    }

    // ---------------------------------------------------------------- background

    /** Finishes interrupted approvals and marks online runs whose payouts are all done; returns the runs touched. */
    int sweep() {
        List<String> ids = ctx.db.read(h -> h.createQuery("SELECT run_id FROM ticketing.profit_runs WHERE state = 'APPROVED'"
                + " AND (NOT booked OR mode = 'ONLINE')").mapTo(String.class).list());
        int n = 0;
        for (String id : ids) {
            try {
                if (bookRun(id)) {
                    n++;
                }
            } catch (TicketingException e) {
                LOG.warn("profit run {} could not be finished now: {}", id, e.getMessage());
            }
        }
        return n;
    }

    /** Books the run's shares (idempotent) and settles an online run whose payouts are done; whether anything changed. */
    private boolean bookRun(String runId) {
        Platform platform = ctx.platform().orElseThrow();
        boolean changed = false;
        ProfitRun run = run(runId).orElseThrow();
        boolean booked = ctx.db.read(h -> h.createQuery("SELECT booked FROM ticketing.profit_runs WHERE run_id = :id")
                .bind("id", runId).mapTo(Boolean.class).one());
        if (!booked) {
            sharesEntry(platform.ledger(), run).ifPresent(book::post);
            ctx.db.tx(h -> h.createUpdate("UPDATE ticketing.profit_runs SET booked = true WHERE run_id = :id").bind("id", runId)
                    .execute());
            changed = true;
        }
        if (run.mode() == SettlementMode.ONLINE && run.state() == ProfitRunState.APPROVED) {
            long open = ctx.db.read(h -> h.createQuery("SELECT count(*) FROM ticketing.payouts WHERE kind = 'PROFIT_SHARE'"
                    + " AND ticket_id = :id AND state <> 'DONE'").bind("id", runId).mapTo(Long.class).one());
            if (open == 0) {
                ctx.db.tx(h -> h.createUpdate("UPDATE ticketing.profit_runs SET state = 'SETTLED', settled_at = :now"
                                + " WHERE run_id = :id AND state = 'APPROVED'")
                        .bind("now", Db.ts(ctx.now())).bind("id", runId).execute());
                changed = true;
            }
        }
        return changed;
    }

    /** The entry booking an approved run, built from its stored shares: empty when it shares nothing. */
    static Optional<EntryRequest> sharesEntry(LedgerId ledger, ProfitRun run) {
        if (!run.total().isPositive()) {
            return Optional.empty();
        }
        EntryRequest.Builder b = Book.standard(ledger, "profit:" + run.id() + ":shares", "profit-share")
                .debit(Book.PROFIT_SHARE, run.total());
        for (Map.Entry<String, Money> e : run.byBeneficiary().entrySet()) {
            if (e.getValue().isPositive()) {
                b.credit(Book.profitPayable(e.getKey()), e.getValue());
            }
        }
        return Optional.of(b.meta("run", run.id()).meta("period", run.from() + ".." + run.to()).build());
    }

    /** Books the run a profit-share payout pays from, if the approval did not get that far. */
    void bookFor(String runId) {
        Platform platform = ctx.platform().orElseThrow();
        run(runId).flatMap(r -> sharesEntry(platform.ledger(), r)).ifPresent(book::post);
    }

    static Optional<ProfitRun> load(Handle h, String runId) {
        List<ProfitShare> shares = h.createQuery("SELECT s.*, r.currency FROM ticketing.profit_shares s JOIN ticketing.profit_runs r"
                        + " ON r.run_id = s.run_id WHERE s.run_id = :id ORDER BY s.beneficiary_id, s.stream")
                .bind("id", runId)
                .map((rs, c) -> {
                    Currency cur = Currency.getInstance(rs.getString("currency"));
                    return new ProfitShare(rs.getString("beneficiary_id"), RevenueStream.valueOf(rs.getString("stream")),
                            Money.of(rs.getLong("base_minor"), cur), rs.getInt("basis_points"), Money.of(rs.getLong("amount_minor"), cur));
                })
                .list();
        List<String> payouts = h.createQuery("SELECT payout_id FROM ticketing.payouts WHERE kind = 'PROFIT_SHARE' AND ticket_id = :id"
                + " ORDER BY party_id").bind("id", runId).mapTo(String.class).list();
        return h.createQuery("SELECT * FROM ticketing.profit_runs WHERE run_id = :id").bind("id", runId)
                .map((rs, c) -> row(rs, shares, payouts)).findOne();
    }

    private static ProfitRun row(ResultSet rs, List<ProfitShare> shares, List<String> payouts) throws SQLException {
        Currency cur = Currency.getInstance(rs.getString("currency"));
        return new ProfitRun(rs.getString("run_id"), Db.instant(rs, "period_from"), Db.instant(rs, "period_to"),
                SettlementMode.valueOf(rs.getString("mode")), ProfitRunState.valueOf(rs.getString("state")),
                Money.of(rs.getLong("total_minor"), cur), shares, rs.getString("proposed_by"), Db.instant(rs, "proposed_at"),
                Db.optString(rs, "decided_by"), Db.optInstant(rs, "decided_at"), Db.optString(rs, "decision_note"), payouts,
                Db.optString(rs, "settled_reference"), Db.optInstant(rs, "settled_at"));
    }

    private static String csv(String cell) {
        return cell.contains(",") || cell.contains("\"") || cell.contains("\n") ? '"' + cell.replace("\"", "\"\"") + '"' : cell;
    }

    private static Problem field(String path, String message) {
        return new Problem(ErrorCode.VALIDATION_FAILED, "invalid request: " + path + " " + message,
                List.of(new Problem.FieldError(path, message)));
    }
}
