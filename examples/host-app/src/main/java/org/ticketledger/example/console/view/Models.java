package org.ticketledger.example.console.view;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import org.ticketledger.example.audit.AuditLog;
import org.ticketledger.ledger.Balance;
import org.ticketledger.ledger.Money;
import org.ticketledger.ticketing.HistoryEvent;
import org.ticketledger.ticketing.notify.StoredNotification;
import org.ticketledger.ticketing.order.Order;
import org.ticketledger.ticketing.payout.Payout;
import org.ticketledger.ticketing.reconcile.ReconciliationReport;
import org.ticketledger.ticketing.ticket.Ticket;

/**
 * The data of each console page, as the templates read it. Plain immutable records; lists are
 * copied.
 */
public final class Models {

    private Models() {
    }

    /** A maker-checker request. */
    public record Approval(String id, String kind, String subjectId, Money amount, String summary, String state,
                           String requestedBy, Instant requestedAt, Optional<String> decidedBy, Optional<Instant> decidedAt,
                           Optional<String> outcome) {
        public Approval {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(subjectId, "subjectId");
            Objects.requireNonNull(amount, "amount");
            Objects.requireNonNull(summary, "summary");
            Objects.requireNonNull(state, "state");
            Objects.requireNonNull(requestedBy, "requestedBy");
            Objects.requireNonNull(requestedAt, "requestedAt");
            Objects.requireNonNull(decidedBy, "decidedBy");
            Objects.requireNonNull(decidedAt, "decidedAt");
            Objects.requireNonNull(outcome, "outcome");
        }

        /** The page of the thing the approval is about. */
        public String href() {
            String id = java.net.URLEncoder.encode(subjectId, java.nio.charset.StandardCharsets.UTF_8);
            return switch (kind) {
                case "INSTRUCTION_RETRY" -> "/console/instructions/" + id;
                case "PROFIT_RUN" -> "/console/profits/" + id;
                default -> "/console/payouts/" + id;
            };
        }
    }

    /** A work-queue item someone marked resolved. */
    public record Resolution(String reason, String resolvedBy, Instant resolvedAt) {
        public Resolution {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(resolvedBy, "resolvedBy");
            Objects.requireNonNull(resolvedAt, "resolvedAt");
        }
    }

    /** A tab of a queue page: one state, with how many items are in it. */
    public record Tab(String label, String href, boolean on, int count) {
        public Tab {
            Objects.requireNonNull(label, "label");
            Objects.requireNonNull(href, "href");
        }
    }

    /** The first page: how much waits where, and whether the books agree with the rails. */
    public record Dashboard(List<Tab> queues, int approvalsPending, Optional<ReconciliationReport> reconciliation,
                            Optional<String> reconciliationError, boolean onboarded) {
        public Dashboard {
            queues = List.copyOf(queues);
            Objects.requireNonNull(reconciliation, "reconciliation");
            Objects.requireNonNull(reconciliationError, "reconciliationError");
        }
    }

    /** An order in a queue. */
    public record OrderRow(Order order, String distributorName, String productName, Optional<Resolution> resolution) {
        public OrderRow {
            Objects.requireNonNull(order, "order");
            Objects.requireNonNull(distributorName, "distributorName");
            Objects.requireNonNull(productName, "productName");
            Objects.requireNonNull(resolution, "resolution");
        }
    }

    /** The orders queue. */
    public record OrderQueue(List<Tab> tabs, String state, List<OrderRow> rows, boolean showResolved) {
        public OrderQueue {
            tabs = List.copyOf(tabs);
            Objects.requireNonNull(state, "state");
            rows = List.copyOf(rows);
        }
    }

    /** An order with everything that happened to it. */
    public record OrderDetail(Order order, String distributorName, String productName, String productDescription,
                              List<Ticket> tickets, List<Payout> payouts, List<HistoryEvent> history,
                              List<StoredNotification> messages, Optional<Resolution> resolution, boolean canReapply,
                              List<AuditLog.Record> audit) {
        public OrderDetail {
            Objects.requireNonNull(order, "order");
            Objects.requireNonNull(distributorName, "distributorName");
            Objects.requireNonNull(productName, "productName");
            Objects.requireNonNull(productDescription, "productDescription");
            tickets = List.copyOf(tickets);
            payouts = List.copyOf(payouts);
            history = List.copyOf(history);
            messages = List.copyOf(messages);
            Objects.requireNonNull(resolution, "resolution");
            audit = List.copyOf(audit);
        }
    }

    /** A payout in a queue. */
    public record PayoutRow(Payout payout, String payeeName, Optional<Resolution> resolution, boolean approvalPending) {
        public PayoutRow {
            Objects.requireNonNull(payout, "payout");
            Objects.requireNonNull(payeeName, "payeeName");
            Objects.requireNonNull(resolution, "resolution");
        }
    }

    /** The payouts queue. */
    public record PayoutQueue(List<Tab> tabs, String state, List<PayoutRow> rows, boolean showResolved, Money threshold) {
        public PayoutQueue {
            tabs = List.copyOf(tabs);
            Objects.requireNonNull(state, "state");
            rows = List.copyOf(rows);
            Objects.requireNonNull(threshold, "threshold");
        }
    }

    /** A payout with its history, messages, approvals and the actions open to it. */
    public record PayoutDetail(Payout payout, String payeeName, List<HistoryEvent> history, List<StoredNotification> messages,
                               List<Approval> approvals, Optional<Resolution> resolution, boolean retryable,
                               boolean needsApproval, Money threshold, List<AuditLog.Record> audit) {
        public PayoutDetail {
            Objects.requireNonNull(payout, "payout");
            Objects.requireNonNull(payeeName, "payeeName");
            history = List.copyOf(history);
            messages = List.copyOf(messages);
            approvals = List.copyOf(approvals);
            Objects.requireNonNull(resolution, "resolution");
            Objects.requireNonNull(threshold, "threshold");
            audit = List.copyOf(audit);
        }

        /** Whether the payout is on its way (the page refreshes itself until it lands). */
        public boolean inFlight() {
            var st = payout.state();
            return st == org.ticketledger.ticketing.payout.PayoutState.PENDING
                    || st == org.ticketledger.ticketing.payout.PayoutState.SENT
                    || st == org.ticketledger.ticketing.payout.PayoutState.RETRYING;
        }
    }

    /** Pending and decided maker-checker requests. */
    public record ApprovalList(List<Approval> pending, List<Approval> decided, String me) {
        public ApprovalList {
            pending = List.copyOf(pending);
            decided = List.copyOf(decided);
            Objects.requireNonNull(me, "me");
        }
    }

    /** The audit view: newest first, optionally filtered. */
    public record AuditView(List<AuditLog.Record> records, String query, OptionalLong olderThan) {
        public AuditView {
            records = List.copyOf(records);
            Objects.requireNonNull(query, "query");
            Objects.requireNonNull(olderThan, "olderThan");
        }
    }

    /** The rail accounts against the rails, the wealth position, and every ledger account. */
    public record Balances(Optional<ReconciliationReport> reconciliation, Optional<String> reconciliationError,
                           List<Balance> wealth, List<Balance> accounts, boolean trialBalanced, Money totalDebits,
                           Money totalCredits) {
        public Balances {
            Objects.requireNonNull(reconciliation, "reconciliation");
            Objects.requireNonNull(reconciliationError, "reconciliationError");
            wealth = List.copyOf(wealth);
            accounts = List.copyOf(accounts);
            Objects.requireNonNull(totalDebits, "totalDebits");
            Objects.requireNonNull(totalCredits, "totalCredits");
        }
    }

    /** One entry's effect on the account of a statement. */
    public record StatementLine(long sequence, Instant recordedAt, String type, String side, Money amount, Money balanceAfter,
                                String counterparts) {
        public StatementLine {
            Objects.requireNonNull(recordedAt, "recordedAt");
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(side, "side");
            Objects.requireNonNull(amount, "amount");
            Objects.requireNonNull(balanceAfter, "balanceAfter");
            Objects.requireNonNull(counterparts, "counterparts");
        }
    }

    /** An account's entries, newest first, a page at a time. */
    public record Statement(String account, Optional<Balance> balance, List<StatementLine> lines, OptionalLong olderThan) {
        public Statement {
            Objects.requireNonNull(account, "account");
            Objects.requireNonNull(balance, "balance");
            lines = List.copyOf(lines);
            Objects.requireNonNull(olderThan, "olderThan");
        }
    }

    /** The console's administrators, and a password to show once after creating one. */
    public record AdminList(List<org.ticketledger.example.console.ConsoleAdmins.Admin> admins, Optional<String> createdUser,
                            Optional<String> createdPassword) {
        public AdminList {
            admins = List.copyOf(admins);
            Objects.requireNonNull(createdUser, "createdUser");
            Objects.requireNonNull(createdPassword, "createdPassword");
        }
    }

    /** One day's figures of a report (journal time, whole days in the platform's zone). */
    public record ReportDay(java.time.LocalDate date, Money issuanceVolume, Money issuanceFees, Money payoutFees,
                            Money investmentYield, Money netIncome, Money wealthPosition) {
        public ReportDay {
            Objects.requireNonNull(date, "date");
            Objects.requireNonNull(issuanceVolume, "issuanceVolume");
            Objects.requireNonNull(issuanceFees, "issuanceFees");
            Objects.requireNonNull(payoutFees, "payoutFees");
            Objects.requireNonNull(investmentYield, "investmentYield");
            Objects.requireNonNull(netIncome, "netIncome");
            Objects.requireNonNull(wealthPosition, "wealthPosition");
        }
    }

    /** A scenic spot's figures over a report's period, with its name. */
    public record SpotFigure(String spotId, String name, Money redeemed, Money settled, Money outstanding) {
        public SpotFigure {
            Objects.requireNonNull(spotId, "spotId");
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(redeemed, "redeemed");
            Objects.requireNonNull(settled, "settled");
            Objects.requireNonNull(outstanding, "outstanding");
        }
    }

    /**
     * The reports page: the period's report, its days and spots, and the three chart specs (JSON
     * for the page's script, rendered into data attributes).
     */
    public record Report(java.time.LocalDate from, java.time.LocalDate to, boolean adjusted,
                         org.ticketledger.ticketing.report.FinancialReport report, List<ReportDay> days, List<SpotFigure> spots,
                         String issuanceChart, String spotChart, String wealthChart) {
        public Report {
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(to, "to");
            Objects.requireNonNull(report, "report");
            days = List.copyOf(days);
            spots = List.copyOf(spots);
            Objects.requireNonNull(issuanceChart, "issuanceChart");
            Objects.requireNonNull(spotChart, "spotChart");
            Objects.requireNonNull(wealthChart, "wealthChart");
        }

        /** The query string selecting this period. */
        public String query() {
            return "from=" + from + "&to=" + to;
        }
    }

    /** An invest or withdraw instruction in the queue. */
    public record InstructionRow(org.ticketledger.ticketing.wealth.PlanInstruction instruction, Optional<Resolution> resolution,
                                 boolean approvalPending) {
        public InstructionRow {
            Objects.requireNonNull(instruction, "instruction");
            Objects.requireNonNull(resolution, "resolution");
        }
    }

    /** The wealth queue: instructions by state, and the plans whose close needs review. */
    public record InstructionQueue(List<Tab> tabs, String state, List<InstructionRow> rows, boolean showResolved, Money threshold,
                                   List<org.ticketledger.ticketing.wealth.WealthPlan> plansInReview) {
        public InstructionQueue {
            tabs = List.copyOf(tabs);
            Objects.requireNonNull(state, "state");
            rows = List.copyOf(rows);
            Objects.requireNonNull(threshold, "threshold");
            plansInReview = List.copyOf(plansInReview);
        }
    }

    /** An instruction with its history, messages, approvals and the actions open to it. */
    public record InstructionDetail(org.ticketledger.ticketing.wealth.PlanInstruction instruction, List<HistoryEvent> history,
                                    List<StoredNotification> messages, List<Approval> approvals, Optional<Resolution> resolution,
                                    boolean retryable, boolean needsApproval, Money threshold, List<AuditLog.Record> audit) {
        public InstructionDetail {
            Objects.requireNonNull(instruction, "instruction");
            history = List.copyOf(history);
            messages = List.copyOf(messages);
            approvals = List.copyOf(approvals);
            Objects.requireNonNull(resolution, "resolution");
            Objects.requireNonNull(threshold, "threshold");
            audit = List.copyOf(audit);
        }
    }

    /** A profit rule with its beneficiary's name. */
    public record NamedRule(org.ticketledger.ticketing.profit.ProfitRule rule, String name) {
        public NamedRule {
            Objects.requireNonNull(rule, "rule");
            Objects.requireNonNull(name, "name");
        }
    }

    /** A profit share with its beneficiary's name. */
    public record NamedShare(org.ticketledger.ticketing.profit.ProfitShare share, String name) {
        public NamedShare {
            Objects.requireNonNull(share, "share");
            Objects.requireNonNull(name, "name");
        }
    }

    /** The profit distribution page: rules and runs. */
    public record ProfitList(List<NamedRule> rules, List<org.ticketledger.ticketing.profit.ProfitRun> runs, String me) {
        public ProfitList {
            rules = List.copyOf(rules);
            runs = List.copyOf(runs);
            Objects.requireNonNull(me, "me");
        }
    }

    /** One profit run with its shares and the actions open to this admin. */
    public record ProfitDetail(org.ticketledger.ticketing.profit.ProfitRun run, List<NamedShare> shares, String me, List<String> rails,
                               List<AuditLog.Record> audit) {
        public ProfitDetail {
            Objects.requireNonNull(run, "run");
            shares = List.copyOf(shares);
            Objects.requireNonNull(me, "me");
            rails = List.copyOf(rails);
            audit = List.copyOf(audit);
        }

        /** Whether this admin proposed the run (and so may not approve it). */
        public boolean mine() {
            return run.proposedBy().equals(me);
        }
    }

    /** A sync conflict, with the order of its ticket when the ticket is ours. */
    public record ConflictRow(org.ticketledger.ticketing.device.RedemptionConflict conflict, Optional<String> orderId,
                              Optional<Resolution> resolution) {
        public ConflictRow {
            Objects.requireNonNull(conflict, "conflict");
            Objects.requireNonNull(orderId, "orderId");
            Objects.requireNonNull(resolution, "resolution");
        }
    }

    /** The sync conflicts queue. */
    public record ConflictQueue(List<ConflictRow> rows, boolean showResolved) {
        public ConflictQueue {
            rows = List.copyOf(rows);
        }
    }

    /** One conflict with its order's history. */
    public record ConflictDetail(ConflictRow row, List<HistoryEvent> history, List<AuditLog.Record> audit) {
        public ConflictDetail {
            Objects.requireNonNull(row, "row");
            history = List.copyOf(history);
            audit = List.copyOf(audit);
        }
    }
}
