package org.ticketledger.ticketing.functional;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.FileInputStream;
import java.io.InputStream;
import java.net.URI;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Base64;
import java.util.Properties;
import org.ticketledger.alipay.AlipayRail;
import org.ticketledger.ledger.Money;
import org.ticketledger.ledger.postgres.PostgresJournal;
import org.ticketledger.payment.RailRegistry;
import org.ticketledger.ticketing.Ticketing;
import org.ticketledger.ticketing.jobs.JobSettings;
import org.ticketledger.ticketing.order.IssueRequest;
import org.ticketledger.ticketing.ticket.RedeemRequest;

/**
 * A second process for {@link CrashRecoveryIT}: opens the same database and the same Alipay
 * sandbox, then issues an order or redeems a ticket and drives its payout, and gets killed with
 * SIGKILL while the sandbox holds the reply. Arguments: a properties file.
 */
public final class CrashChild {

    private CrashChild() {
    }

    public static void main(String[] args) throws Exception {
        Properties p = new Properties();
        try (InputStream in = new FileInputStream(args[0])) {
            p.load(in);
        }
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(p.getProperty("jdbcUrl"));
        config.setUsername(p.getProperty("user"));
        config.setMaximumPoolSize(4);
        KeyFactory rsa = KeyFactory.getInstance("RSA");
        PrivateKey appKey = rsa.generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(p.getProperty("appKey"))));
        PublicKey alipayKey = rsa.generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(p.getProperty("alipayKey"))));
        try (HikariDataSource ds = new HikariDataSource(config);
             PostgresJournal journal = PostgresJournal.builder().dataSource(ds).build();
             AlipayRail rail = AlipayRail.builder()
                     .gateway(URI.create(p.getProperty("gateway")))
                     .appId(p.getProperty("appId"))
                     .appPrivateKey(appKey)
                     .alipayPublicKey(alipayKey)
                     .platformAccount(p.getProperty("platformUserId"))
                     .requestTimeout(Duration.ofSeconds(120))
                     .build();
             Ticketing ticketing = Ticketing.builder()
                     .dataSource(ds)
                     .journal(journal)
                     .rails(RailRegistry.empty().register(rail))
                     .jobSettings(JobSettings.fast().withLease(Duration.ofSeconds(2)))
                     .instanceId("crash-child")
                     .build()) {
            if (p.getProperty("mode").equals("issue")) {
                ticketing.orders().issue(IssueRequest.of(p.getProperty("distributor"), p.getProperty("ref"),
                        p.getProperty("product"), LocalDate.parse(p.getProperty("visitDate")), 1,
                        Money.parseCny(p.getProperty("price"))));
            } else {
                ticketing.tickets().redeem(new RedeemRequest(p.getProperty("ticket"), p.getProperty("spot"), "gate-child"));
                ticketing.runDueWork();
            }
        }
    }
}
