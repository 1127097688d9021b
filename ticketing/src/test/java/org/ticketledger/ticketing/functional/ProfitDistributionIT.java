package org.ticketledger.ticketing.functional;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.ticketledger.ledger.Money;
import org.ticketledger.payment.RailId;
import org.ticketledger.ticketing.ErrorCode;
import org.ticketledger.ticketing.Outcome;
import org.ticketledger.ticketing.fee.FeeKind;
import org.ticketledger.ticketing.fee.FeeRule;
import org.ticketledger.ticketing.order.IssueRequest;
import org.ticketledger.ticketing.order.IssueResult;
import org.ticketledger.ticketing.party.Distributor;
import org.ticketledger.ticketing.party.ScenicSpot;
import org.ticketledger.ticketing.payout.PayoutKind;
import org.ticketledger.ticketing.payout.PayoutState;
import org.ticketledger.ticketing.pool.Product;
import org.ticketledger.ticketing.pool.SingleTicketDraft;
import org.ticketledger.ticketing.profit.OfflineSettlement;
import org.ticketledger.ticketing.profit.ProfitRule;
import org.ticketledger.ticketing.profit.ProfitRun;
import org.ticketledger.ticketing.profit.ProfitRunState;
import org.ticketledger.ticketing.profit.RevenueStream;
import org.ticketledger.ticketing.profit.SettlementMode;
import org.ticketledger.ticketing.report.FinancialReport;
import org.ticketledger.ticketing.testing.ComboWorld;
import org.ticketledger.ticketing.ticket.RedeemRequest;
import org.ticketledger.ticketing.ticket.Ticket;

/**
 * Profit distribution: rules checked, a run per period computed from the ledger, approved only by
 * a second admin, then paid online through both rails (once, like any payout) or exported and
 * confirmed offline; the ledger records every step and stays balanced.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ProfitDistributionIT {

    private ComboWorld w;
    private ScenicSpot lake;
    private Distributor hjbDistributor;
    private Distributor alipayDistributor;
    private Product product;
    private Instant periodStart;
    private int refs;

    @BeforeAll
    void world() {
        w = ComboWorld.start();
        w.onboardPlatform(Money.parseCny("500.00"), Money.parseCny("500.00"));
        w.ticketing.fees().setDefault(FeeKind.ISSUANCE, FeeRule.fixed(200), "admin").orElseThrow();
        lake = w.alipaySpot("Profit Lake");
        hjbDistributor = w.hjbDistributor("Profit Tours", Money.parseCny("2000.00"));
        alipayDistributor = w.alipayDistributor("Profit Travel", Money.parseCny("2000.00"));
        product = w.ticketing.pool().publish(new SingleTicketDraft(lake.id(), "Lake", "", Money.parseCny("100.00"),
                Money.parseCny("80.00"), w.today(), w.today().plusDays(60), 30, ""), lake.id()).orElseThrow();
        periodStart = w.clock.instant();
        w.advance(Duration.ofSeconds(1));
    }

    @AfterAll
    void close() {
        w.close();
    }

    @Test
    @Order(1)
    void refusesRulesThatCannotBeHonoured() {
        assertRefused(w.ticketing.profits().setRules(List.of(new ProfitRule(lake.id(), RevenueStream.MARGIN, 6000),
                new ProfitRule(hjbDistributor.id(), RevenueStream.MARGIN, 5000)), "admin"), ErrorCode.VALIDATION_FAILED);
        assertRefused(w.ticketing.profits().setRules(List.of(new ProfitRule("sp-nobody", RevenueStream.MARGIN, 100)), "admin"),
                ErrorCode.UNKNOWN_PARTY);
        assertRefused(w.ticketing.profits().setRules(List.of(new ProfitRule(lake.id(), RevenueStream.MARGIN, 0)), "admin"),
                ErrorCode.VALIDATION_FAILED);
        assertRefused(w.ticketing.profits().setRules(List.of(new ProfitRule(lake.id(), RevenueStream.MARGIN, 100),
                new ProfitRule(lake.id(), RevenueStream.MARGIN, 200)), "admin"), ErrorCode.VALIDATION_FAILED);
        assertThat(w.ticketing.profits().rules()).isEmpty();
        assertRefused(w.ticketing.profits().propose(periodStart, w.clock.instant(), SettlementMode.ONLINE, "alice"),
                ErrorCode.VALIDATION_FAILED);
    }

    @Test
    @Order(2)
    void paysAnApprovedRunOnlineThroughBothRailsOnce() {
        w.ticketing.profits().setRules(List.of(new ProfitRule(lake.id(), RevenueStream.MARGIN, 2500),
                new ProfitRule(hjbDistributor.id(), RevenueStream.ISSUANCE_FEE, 5000),
                new ProfitRule(lake.id(), RevenueStream.ISSUANCE_FEE, 1000)), "admin").orElseThrow();
        // 4 tickets sold (issuance fee 2.00 per order), 3 redeemed (margin 20.00 each).
        sellAndRedeem(hjbDistributor, 2, 2);
        sellAndRedeem(alipayDistributor, 2, 1);
        w.settle(Duration.ofSeconds(10), () -> w.ticketing.payouts().byState(PayoutState.PENDING, 1).isEmpty(), "payouts");
        Instant end = w.clock.instant();
        w.advance(Duration.ofSeconds(1));

        ProfitRun run = w.ticketing.profits().propose(periodStart, end, SettlementMode.ONLINE, "alice").orElseThrow();
        assertThat(run.state()).isEqualTo(ProfitRunState.PROPOSED);
        // Margin 60.00 × 25 % = 15.00; fees 4.00 × 50 % = 2.00 and × 10 % = 0.40.
        assertThat(run.byBeneficiary()).containsEntry(lake.id(), Money.parseCny("15.40"))
                .containsEntry(hjbDistributor.id(), Money.parseCny("2.00"));
        assertThat(run.total()).isEqualTo(Money.parseCny("17.40"));
        assertThat(w.journal.entryByKey(w.ledger(), "profit:" + run.id() + ":shares")).isEmpty();

        assertRefused(w.ticketing.profits().approve(run.id(), "alice"), ErrorCode.APPROVER_IS_PROPOSER);
        assertRefused(w.ticketing.profits().propose(periodStart.plusSeconds(1), end, SettlementMode.OFFLINE, "carol"),
                ErrorCode.PERIOD_OVERLAPS);

        Money lakeBefore = w.alipay.balance(lake.receivingAccount().account().identity());
        Money distBefore = w.hjb.balance(hjbDistributor.paymentAccount().account().identity());
        ProfitRun approved = w.ticketing.profits().approve(run.id(), "bob").orElseThrow();
        assertThat(approved.state()).isEqualTo(ProfitRunState.APPROVED);
        assertThat(approved.decidedBy()).contains("bob");
        assertThat(approved.payoutIds()).hasSize(2);
        assertThat(w.balance("expense:profit-share")).isEqualTo(Money.parseCny("17.40"));
        w.settle(Duration.ofSeconds(10), () -> w.ticketing.profits().run(run.id()).orElseThrow().state() == ProfitRunState.SETTLED,
                "run settled");
        // A second approval changes nothing.
        assertThat(w.ticketing.profits().approve(run.id(), "bob").orElseThrow().state()).isEqualTo(ProfitRunState.SETTLED);

        assertThat(w.alipay.balance(lake.receivingAccount().account().identity())).isEqualTo(lakeBefore.plus(Money.parseCny("15.40")));
        assertThat(w.hjb.balance(hjbDistributor.paymentAccount().account().identity()))
                .isEqualTo(distBefore.plus(Money.parseCny("2.00")));
        assertThat(approved.payoutIds()).allSatisfy(id -> assertThat(w.ticketing.payouts().payout(id).orElseThrow())
                .satisfies(p -> {
                    assertThat(p.kind()).isEqualTo(PayoutKind.PROFIT_SHARE);
                    assertThat(p.state()).isEqualTo(PayoutState.DONE);
                }));
        assertThat(w.balance("party:" + lake.id() + ":profit-payable")).isEqualTo(Money.cny(0));
        assertThat(w.balance("party:" + hjbDistributor.id() + ":profit-payable")).isEqualTo(Money.cny(0));
        FinancialReport report = w.ticketing.reports().financial(periodStart, w.clock.instant()).orElseThrow();
        assertThat(report.profitShares()).isEqualTo(Money.parseCny("17.40"));
        assertThat(report.netIncome()).isEqualTo(report.issuanceFees().plus(report.margin()).minus(Money.parseCny("17.40")));
        assertThat(w.trialBalanced()).isTrue();
        w.assertReconciled();
    }

    @Test
    @Order(3)
    void exportsAnApprovedRunForOfflineSettlementAndBooksTheConfirmation() {
        Instant from = w.ticketing.profits().runs().get(0).to();
        sellAndRedeem(alipayDistributor, 3, 3);
        w.settle(Duration.ofSeconds(10), () -> w.ticketing.payouts().byState(PayoutState.PENDING, 1).isEmpty(), "payouts");
        Instant end = w.clock.instant();
        w.advance(Duration.ofSeconds(1));

        ProfitRun rejected = w.ticketing.profits().propose(from, end, SettlementMode.OFFLINE, "alice").orElseThrow();
        assertThat(w.ticketing.profits().reject(rejected.id(), "bob", "rates under review").orElseThrow().state())
                .isEqualTo(ProfitRunState.REJECTED);
        assertRefused(w.ticketing.profits().export(rejected.id()), ErrorCode.INVALID_STATE);

        ProfitRun run = w.ticketing.profits().propose(from, end, SettlementMode.OFFLINE, "alice").orElseThrow();
        assertRefused(w.ticketing.profits().confirmOffline(run.id(), new OfflineSettlement("BANK-1", Optional.empty()), "bob"),
                ErrorCode.INVALID_STATE);
        w.ticketing.profits().approve(run.id(), "bob").orElseThrow();
        // Margin 60.00 × 25 % = 15.00; fee 2.00 × 10 % = 0.20 for the lake, × 50 % = 1.00 for the distributor.
        String csv = w.ticketing.profits().export(run.id()).orElseThrow();
        assertThat(csv).startsWith("run_id,beneficiary_id,name,rail,account,amount,currency\r\n")
                .contains(run.id() + "," + lake.id() + ",Profit Lake,ALIPAY," + lake.receivingAccount().account().identity()
                        + ",15.20,CNY")
                .contains(hjbDistributor.id() + ",Profit Tours,HUIJINBAO");
        assertThat(w.ticketing.payouts().byTicket(run.id())).isEmpty();
        assertThat(w.balance("party:" + lake.id() + ":profit-payable")).isEqualTo(Money.parseCny("15.20"));

        // Paid by hand from the platform's Alipay account: booked against it, and the rail shows it too.
        Money total = run.total();
        w.alipay.setPlatformBalance(w.alipay.platformBalance().minus(total));
        ProfitRun settled = w.ticketing.profits().confirmOffline(run.id(), new OfflineSettlement("BANK-2", Optional.of(RailId.ALIPAY)),
                "carol").orElseThrow();
        assertThat(settled.state()).isEqualTo(ProfitRunState.SETTLED);
        assertThat(settled.settledReference()).contains("BANK-2");
        assertThat(w.balance("party:" + lake.id() + ":profit-payable")).isEqualTo(Money.cny(0));
        assertThat(w.trialBalanced()).isTrue();
        w.assertReconciled();
    }

    private void sellAndRedeem(Distributor d, int quantity, int redeem) {
        IssueResult r = w.ticketing.orders().issue(IssueRequest.of(d.id(), "PD-" + (++refs), product.id(), w.today(), quantity,
                product.distributorPrice()));
        List<Ticket> tickets = ((IssueResult.Issued) r).tickets();
        for (int i = 0; i < redeem; i++) {
            w.ticketing.tickets().redeem(new RedeemRequest(tickets.get(i).number(), lake.id(), "gate"));
        }
    }

    private static void assertRefused(Outcome<?> outcome, ErrorCode code) {
        assertThat(outcome).isInstanceOfSatisfying(Outcome.Refused.class,
                r -> assertThat(r.problem().code()).as("%s", r.problem()).isEqualTo(code));
    }
}
