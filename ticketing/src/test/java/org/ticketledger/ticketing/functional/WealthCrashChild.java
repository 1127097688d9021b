package org.ticketledger.ticketing.functional;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.FileInputStream;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.util.Properties;
import org.ticketledger.huijinbao.HuijinbaoRail;
import org.ticketledger.ledger.postgres.PostgresJournal;
import org.ticketledger.payment.RailRegistry;
import org.ticketledger.ticketing.Ticketing;
import org.ticketledger.ticketing.jobs.JobSettings;

/**
 * A second process for {@link WealthCrashIT}: opens the same database and the same Huijinbao
 * sandbox, with the parent's clock offset, runs one round of due work (an invest, or a plan's
 * close) and gets killed with SIGKILL while the sandbox holds the reply. Arguments: a properties
 * file.
 */
public final class WealthCrashChild {

    private WealthCrashChild() {
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
        Clock clock = Clock.offset(Clock.systemUTC(), Duration.ofMillis(Long.parseLong(p.getProperty("offsetMillis"))));
        try (HikariDataSource ds = new HikariDataSource(config);
             PostgresJournal journal = PostgresJournal.builder().dataSource(ds).clock(clock).build();
             HuijinbaoRail rail = HuijinbaoRail.builder()
                     .baseUri(p.getProperty("baseUri"))
                     .keyId(p.getProperty("keyId"))
                     .secret(p.getProperty("secret"))
                     .platformAccount(p.getProperty("platformAccount"))
                     .requestTimeout(Duration.ofSeconds(120))
                     .callTimeout(Duration.ofSeconds(120))
                     .build();
             Ticketing ticketing = Ticketing.builder()
                     .dataSource(ds)
                     .journal(journal)
                     .rails(RailRegistry.empty().register(rail))
                     .clock(clock)
                     .jobSettings(JobSettings.fast().withLease(Duration.ofSeconds(2)))
                     .instanceId("wealth-crash-child")
                     .build()) {
            ticketing.runDueWork();
        }
    }
}
