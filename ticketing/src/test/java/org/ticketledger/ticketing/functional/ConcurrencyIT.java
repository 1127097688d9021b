package org.ticketledger.ticketing.functional;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.ticketledger.alipay.sandbox.SandboxTransaction;
import org.ticketledger.ledger.Money;
import org.ticketledger.ticketing.order.IssueRequest;
import org.ticketledger.ticketing.order.IssueResult;
import org.ticketledger.ticketing.order.OrderState;
import org.ticketledger.ticketing.party.Distributor;
import org.ticketledger.ticketing.party.ScenicSpot;
import org.ticketledger.ticketing.pool.Product;
import org.ticketledger.ticketing.testing.Harness;

/** 200 parallel issuance requests, 20 of them duplicates: 180 orders, 180 charges, nothing doubled. */
class ConcurrencyIT {

    @Test
    void chargesEachOfManyConcurrentOrdersExactlyOnce() throws Exception {
        try (Harness w = Harness.start()) {
            w.onboardPlatform();
            ScenicSpot spot = w.spot("Jiuzhai Valley");
            Product product = w.publish(spot, "10.00", "8.00");
            Distributor d = w.distributor("Rush Travel", Money.parseCny("100000.00"));
            String payer = d.paymentAccount().account().identity();

            List<IssueRequest> requests = new ArrayList<>();
            for (int i = 0; i < 180; i++) {
                requests.add(w.order(d, product, "RUSH-" + i, 1));
            }
            for (int i = 0; i < 20; i++) {
                requests.add(w.order(d, product, "RUSH-" + (i * 9), 1));
            }
            ExecutorService pool = Executors.newFixedThreadPool(32);
            CountDownLatch start = new CountDownLatch(1);
            List<Future<IssueResult>> futures = new ArrayList<>();
            for (IssueRequest r : requests) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return w.ticketing.orders().issue(r);
                }));
            }
            start.countDown();
            List<IssueResult> results = new ArrayList<>();
            for (Future<IssueResult> f : futures) {
                results.add(f.get());
            }
            pool.shutdown();

            assertThat(results).noneMatch(r -> r instanceof IssueResult.Refused || r instanceof IssueResult.Failed);
            // A duplicate may arrive while its original is still charging: the job finishes any stragglers.
            Harness.await(Duration.ofSeconds(30), () -> {
                w.ticketing.runDueWork();
                return w.ticketing.orders().byState(OrderState.ISSUED, 1000).size() == 180;
            }, "all orders issued");

            Jdbi jdbi = Jdbi.create(w.dataSource);
            long orders = jdbi.withHandle(h -> h.createQuery("SELECT count(*) FROM ticketing.orders").mapTo(Long.class).one());
            long tickets = jdbi.withHandle(h -> h.createQuery("SELECT count(*) FROM ticketing.tickets").mapTo(Long.class).one());
            assertThat(orders).isEqualTo(180);
            assertThat(tickets).isEqualTo(180);
            List<SandboxTransaction> charges = w.sandbox.transactions().stream().filter(t -> t.payer().equals(payer)).toList();
            assertThat(charges).hasSize(180);
            assertThat(charges.stream().map(SandboxTransaction::outNo).collect(Collectors.toSet())).hasSize(180);
            assertThat(w.sandbox.balance(payer)).isEqualTo(Money.parseCny("98200.00"));
            assertThat(w.ledgerBalance("tickets:unredeemed")).isEqualTo(Money.parseCny("1800.00"));
            w.assertReconciled();
        }
    }
}
