package org.ticketledger.ticketing.profit;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.ticketledger.ticketing.Outcome;

/**
 * Profit distribution (利润分配): configured rules, runs per period with a maker-checker approval,
 * then offline (export, confirm) or online (payouts through the rails) settlement. Refusals write
 * nothing. Thread-safe.
 *
 * <p>Ledger: approval books Dr {@code expense:profit-share} / Cr {@code party:<id>:profit-payable}
 * per beneficiary; the settlement debits the payables (online: each payout; offline: one entry
 * against the named rail account or {@code equity:platform-funding}).
 */
public interface ProfitDistribution {

    /** Replaces the rules (audited). Refused for unknown parties, duplicates or a stream over 10 000 bp. */
    Outcome<List<ProfitRule>> setRules(List<ProfitRule> rules, String actor);

    /** The rules in force, by beneficiary and stream. */
    List<ProfitRule> rules();

    /**
     * Computes a run for entries recorded in {@code (from, to]} from the ledger and the rules in
     * force; refused if a run that was not rejected overlaps the period. Books nothing yet.
     */
    Outcome<ProfitRun> propose(Instant from, Instant to, SettlementMode mode, String actor);

    /**
     * The checker's approval: refused when {@code actor} proposed the run. Books the shares and,
     * online, creates the payouts (paid by the payout job).
     */
    Outcome<ProfitRun> approve(String runId, String actor);

    /** The checker turns a proposed run down. */
    Outcome<ProfitRun> reject(String runId, String actor, String reason);

    /**
     * The approved run as CSV for offline settlement: {@code beneficiary_id,name,rail,account,amount}.
     */
    Outcome<String> export(String runId);

    /** Confirms an approved offline run was paid; books the payables off. */
    Outcome<ProfitRun> confirmOffline(String runId, OfflineSettlement settlement, String actor);

    /** A run by id (an online run reads SETTLED once all its payouts are done). */
    Optional<ProfitRun> run(String runId);

    /** All runs, newest period first. */
    List<ProfitRun> runs();
}
