package org.ticketledger.example.device;

import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.ticketledger.alipay.sandbox.AlipaySandbox;
import org.ticketledger.alipay.sandbox.SandboxAccount;
import org.ticketledger.ledger.Money;
import org.ticketledger.payment.IdentityType;
import org.ticketledger.payment.PartyAccount;
import org.ticketledger.payment.RailId;
import org.ticketledger.example.testing.TestPlatform;
import org.ticketledger.ticketing.Ticketing;
import org.ticketledger.ticketing.device.OperatorRegistration;
import org.ticketledger.ticketing.order.IssueRequest;
import org.ticketledger.ticketing.order.IssueResult;
import org.ticketledger.ticketing.party.AccountSetting;
import org.ticketledger.ticketing.party.Distributor;
import org.ticketledger.ticketing.party.DistributorRegistration;
import org.ticketledger.ticketing.party.PlatformRegistration;
import org.ticketledger.ticketing.party.ScenicSpot;
import org.ticketledger.ticketing.party.ScenicSpotRegistration;
import org.ticketledger.ticketing.pool.Product;
import org.ticketledger.ticketing.pool.SingleTicketDraft;
import org.ticketledger.ticketing.ticket.Ticket;
import org.ticketledger.verify.spi.HttpRequest;
import org.ticketledger.verify.spi.HttpResponse;
import org.ticketledger.verify.spi.HttpTransport;

/**
 * The whole platform ({@link TestPlatform}: ticketing on a fresh database of the shared embedded
 * Postgres, the Alipay sandbox, the host app with the device routes) on a clock tests can move,
 * with two spots, a distributor, a product per spot and an operator set up through ticketing.
 */
final class DeviceWorld implements AutoCloseable {

    static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
    static final String PASSWORD = "correct horse";
    private static final AtomicInteger PHONES = new AtomicInteger(5000);

    final ShiftClock clock = new ShiftClock();
    final TestPlatform platform;
    final AlipaySandbox sandbox;
    final Ticketing ticketing;
    final ScenicSpot westLake;
    final ScenicSpot lingyin;
    final Distributor distributor;
    final Product product;
    final Product lingyinProduct;
    private final AtomicInteger orders = new AtomicInteger();

    DeviceWorld() {
        platform = TestPlatform.start(b -> b.clock(clock));
        sandbox = platform.sandbox();
        ticketing = platform.platform().ticketing();

        sandbox.setPlatformBalance(Money.parseCny("1000.00"));
        ticketing.parties().onboardPlatform(new PlatformRegistration("Device IT", "CNY", "13800000000", ZONE.getId(),
                List.of(AccountSetting.of(RailId.ALIPAY, IdentityType.USER_ID, sandbox.platformUserId()))), "admin").orElseThrow();
        ticketing.parties().recordFunding(RailId.ALIPAY, Money.parseCny("1000.00"), "opening", "admin").orElseThrow();
        westLake = spot("West Lake");
        lingyin = spot("Lingyin");
        PartyAccount payer = sandbox.openParty("gate.travel@dist.example", "Gate Travel", Money.parseCny("5000.00"));
        distributor = ticketing.parties().onboardDistributor(new DistributorRegistration("Gate Travel", phone(),
                new AccountSetting(payer.rail().value(), payer.identity(), payer.identityType(), payer.holderName(),
                        payer.agreementNo()), Optional.empty()), "admin").orElseThrow();
        product = publish(westLake, "100.00", "90.00");
        lingyinProduct = publish(lingyin, "50.00", "45.00");
        ticketing.devices().createOperator(new OperatorRegistration("li.wei", "Li Wei", Optional.of(PASSWORD), Optional.of("2468"),
                List.of(westLake.id())), "admin").orElseThrow();
    }

    URI url() {
        return platform.base();
    }

    private ScenicSpot spot(String name) {
        SandboxAccount a = sandbox.openAccount(name.toLowerCase().replace(' ', '.') + "@spot.example", name, Money.cny(0));
        return ticketing.parties().onboardScenicSpot(new ScenicSpotRegistration(name, phone(),
                AccountSetting.of(RailId.ALIPAY, IdentityType.USER_ID, a.userId()).withHolderName(name)), "admin").orElseThrow();
    }

    private Product publish(ScenicSpot spot, String d, String s) {
        LocalDate today = today();
        return ticketing.pool().publish(new SingleTicketDraft(spot.id(), "Entry " + spot.name(), "Day ticket", Money.parseCny(d),
                Money.parseCny(s), today, today.plusDays(60), 1, "One entry"), spot.id()).orElseThrow();
    }

    LocalDate today() {
        return LocalDate.ofInstant(clock.instant(), ZONE);
    }

    Ticket ticket(Product p, int daysAhead) {
        IssueResult r = ticketing.orders().issue(IssueRequest.of(distributor.id(), "DW-" + orders.incrementAndGet(), p.id(),
                today().plusDays(daysAhead), 1, p.distributorPrice()));
        return ((IssueResult.Issued) r).tickets().get(0);
    }

    Ticket ticket() {
        return ticket(product, 0);
    }

    String provisioningToken(ScenicSpot spot, String gate) {
        return ticketing.devices().createProvisioningToken(spot.id(), Optional.of(gate), "admin").orElseThrow().qrText();
    }

    private static String phone() {
        return "139" + String.format("%08d", PHONES.incrementAndGet());
    }

    @Override
    public void close() {
        platform.close();
    }

    /** System time plus an offset tests move; both the server and devices run on one each. */
    static final class ShiftClock extends Clock {
        private final AtomicReference<Duration> offset = new AtomicReference<>(Duration.ZERO);

        void advance(Duration d) {
            offset.updateAndGet(o -> o.plus(d));
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.now().plus(offset.get());
        }
    }

    /** The SDK's default transport with a switch that cuts the device off the network. */
    static final class SwitchableTransport implements HttpTransport {
        private final HttpTransport real = HttpTransport.urlConnection();
        volatile boolean offline;
        /** The request reaches the server, the answer is lost. */
        volatile boolean dropAnswers;

        @Override
        public HttpResponse send(HttpRequest request) throws IOException {
            if (offline) {
                throw new IOException("network unreachable (test)");
            }
            HttpResponse r = real.send(request);
            if (dropAnswers) {
                throw new IOException("connection reset after the request was processed (test)");
            }
            return r;
        }
    }
}
