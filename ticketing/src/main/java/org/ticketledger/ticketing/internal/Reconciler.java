package org.ticketledger.ticketing.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.ticketledger.ledger.AccountCode;
import org.ticketledger.ledger.AsOf;
import org.ticketledger.ledger.Balance;
import org.ticketledger.ledger.Money;
import org.ticketledger.payment.BalanceResult;
import org.ticketledger.payment.RailId;
import org.ticketledger.ticketing.party.Platform;
import org.ticketledger.ticketing.reconcile.RailLine;
import org.ticketledger.ticketing.reconcile.Reconciliation;
import org.ticketledger.ticketing.reconcile.ReconciliationReport;

/** {@link Reconciliation}: ledger settlement balances against {@code PaymentRail.balance()}. */
final class Reconciler implements Reconciliation {

    private final Ctx ctx;
    private final RailGateway rails;

    Reconciler(Ctx ctx, RailGateway rails) {
        this.ctx = ctx;
        this.rails = rails;
    }

    @Override
    public ReconciliationReport check() {
        Optional<Platform> platform = ctx.platform();
        if (platform.isEmpty()) {
            return new ReconciliationReport(ctx.now(), List.of(), false);
        }
        Platform p = platform.get();
        List<RailLine> lines = new ArrayList<>();
        for (RailId rail : p.settlementAccounts().keySet().stream().sorted((a, b) -> a.value().compareTo(b.value())).toList()) {
            AccountCode code = Book.settlement(rail);
            Balance b = ctx.journal.balance(p.ledger(), code).orElseThrow();
            Money ledger = b.posted();
            Money held = Money.of(b.creditsPending(), p.currency());
            BalanceResult r = rails.balance(rail);
            if (r instanceof BalanceResult.Available a) {
                Money diff = a.available().minus(ledger);
                String note = diff.isZero() ? "agrees" : "differs by " + diff.toDecimalString()
                        + (held.isPositive() ? " with " + held.toDecimalString() + " held for payouts in flight" : "");
                lines.add(new RailLine(rail, code, ledger, held, Optional.of(a.available()), Optional.of(diff), note));
            } else {
                lines.add(new RailLine(rail, code, ledger, held, Optional.empty(), Optional.empty(),
                        "rail balance unavailable: " + ((BalanceResult.Unavailable) r).cause()));
            }
        }
        boolean trial = ctx.journal.trialBalance(p.ledger(), AsOf.latest()).balanced();
        return new ReconciliationReport(ctx.now(), lines, trial);
    }
}
