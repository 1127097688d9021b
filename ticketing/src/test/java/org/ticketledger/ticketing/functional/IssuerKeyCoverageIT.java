package org.ticketledger.ticketing.functional;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.ticketledger.ledger.Money;
import org.ticketledger.ticketing.ErrorCode;
import org.ticketledger.ticketing.codes.KeyPolicy;
import org.ticketledger.ticketing.order.IssueRequest;
import org.ticketledger.ticketing.order.IssueResult;
import org.ticketledger.ticketing.party.Distributor;
import org.ticketledger.ticketing.party.ScenicSpot;
import org.ticketledger.ticketing.pool.Product;
import org.ticketledger.ticketing.testing.Harness;

/**
 * A ticket valid beyond the issuer key's end cannot get a code. Such an order is refused before
 * the distributor is charged, never charged and then left without tickets.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IssuerKeyCoverageIT {

    private Harness w;
    private Product product;

    @BeforeAll
    void world() {
        // Keys sign at once and end three days later: visits from day 3 on outlive the key.
        w = Harness.start(b -> b.keyPolicy(new KeyPolicy(Duration.ZERO, Duration.ofDays(3))));
        w.onboardPlatform();
        ScenicSpot spot = w.spot("Key Lake");
        product = w.publish(spot, "100.00", "90.00");
    }

    @AfterAll
    void close() {
        w.close();
    }

    @Test
    void anOrderOutlivingTheIssuerKeyIsRefusedBeforeAnyCharge() {
        Distributor d = w.distributor("Far Travel", Money.parseCny("500.00"));
        String payer = d.paymentAccount().account().identity();
        int transactionsBefore = w.sandbox.transactions().size();

        IssueRequest late = IssueRequest.of(d.id(), "FAR-1", product.id(), w.today().plusDays(5), 1, product.distributorPrice());
        IssueResult refused = w.ticketing.orders().issue(late);

        assertThat(refused).isInstanceOf(IssueResult.Refused.class);
        assertThat(((IssueResult.Refused) refused).problem().code()).isEqualTo(ErrorCode.TICKET_CODES_UNAVAILABLE);
        assertThat(((IssueResult.Refused) refused).problem().message()).contains("rotate the issuer key");
        assertThat(w.ticketing.orders().order(d.id(), "FAR-1")).isEmpty();
        assertThat(w.sandbox.balance(payer)).isEqualTo(Money.parseCny("500.00"));
        assertThat(w.sandbox.transactions()).hasSize(transactionsBefore);

        // A visit the key covers is issued and charged as usual.
        IssueResult near = w.ticketing.orders().issue(w.order(d, product, "NEAR-1", 1));
        assertThat(near).isInstanceOf(IssueResult.Issued.class);
        assertThat(w.sandbox.balance(payer)).isEqualTo(Money.parseCny("400.00"));
        w.assertReconciled();
    }
}
