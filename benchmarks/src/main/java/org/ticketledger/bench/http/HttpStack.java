package org.ticketledger.bench.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.ticketledger.ledger.Money;

/**
 * The platform as the HTTP benchmarks see it: the app as a child JVM from the shaded jar (its own
 * embedded PostgreSQL, durable: fsync and synchronous commit on), the Huijinbao sandbox in this JVM
 * as its rail, the platform onboarded with one scenic spot, one single-ticket product and a few
 * distributors paying on Huijinbao with ample balances. Not thread-safe; clients it hands out are.
 */
public final class HttpStack implements AutoCloseable {

    static final String ADMIN_TOKEN = "bench-operator-token-0123456789abcdef";
    static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");

    /** A distributor's API key. */
    public record Key(String distributorId, String keyId, String secret) {
    }

    private final Path dir;
    private final Sandboxes rails;
    private final AppProcess app;
    private final PlatformClient admin;
    private final List<Key> keys;
    private final String productId;
    private final String spotId;

    private HttpStack(Path dir, Sandboxes rails, AppProcess app, PlatformClient admin, List<Key> keys, String productId, String spotId) {
        this.dir = dir;
        this.rails = rails;
        this.app = app;
        this.admin = admin;
        this.keys = keys;
        this.productId = productId;
        this.spotId = spotId;
    }

    /**
     * Starts and onboards the stack.
     *
     * @param appJar    the shaded host-app jar, if not the default
     * @param jvm       extra JVM options for the app (e.g. a flight recording)
     * @param distributors how many distributors
     */
    public static HttpStack start(java.util.Optional<String> appJar, List<String> jvm, int distributors, PrintStream log) {
        Path dir;
        try {
            dir = Files.createTempDirectory("tl-bench-http-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Sandboxes rails = Sandboxes.start(dir.resolve("keys"), Duration.ofSeconds(3), 64);
        AppProcess app = null;
        try {
            int port = AppProcess.freePort();
            List<String> args = new ArrayList<>(List.of("--port", Integer.toString(port), "--data-dir", dir.resolve("app").toString(),
                    "--admin-token", "bench=" + ADMIN_TOKEN, "--rate-limit", "60000000/1000000", "--db-pool-size", "32"));
            args.addAll(rails.serveArgs());
            List<String> opts = new ArrayList<>(List.of("-Xms1g", "-Xmx1g"));
            opts.addAll(jvm);
            app = new AppProcess(AppProcess.locateJar(appJar), opts, args, port, dir.resolve("app.log"));
            app.start(Duration.ofMinutes(3));
            log.println("bench: app up at " + app.base() + " (log " + dir.resolve("app.log") + ")");
            PlatformClient admin = new PlatformClient(app.base(), ADMIN_TOKEN, Duration.ofMinutes(1));

            ObjectNode platform = PlatformClient.JSON.createObjectNode().put("name", "Bench Platform").put("currency", "CNY")
                    .put("adminPhone", "13800000000").put("timeZone", ZONE.getId());
            platform.putArray("settlementAccounts")
                    .add(account("HUIJINBAO", "ACCOUNT_NO", rails.huijinbao().platformAccount()))
                    .add(account("ALIPAY", "USER_ID", rails.alipay().platformUserId()));
            admin.admin("POST", "/admin/v1/platform", platform).expect(201);
            admin.admin("PUT", "/admin/v1/fees/ISSUANCE", PlatformClient.JSON.createObjectNode().put("basisPoints", 100)).expect(200);
            Money workingFunds = Money.parseCny("100000000.00");
            rails.huijinbao().fundPlatform(workingFunds);
            admin.admin("POST", "/admin/v1/platform/funding", PlatformClient.JSON.createObjectNode().put("rail", "HUIJINBAO")
                    .put("amount", workingFunds.toDecimalString()).put("reference", "bench-funding")).expect(201);
            rails.huijinbao().openAccount("BENCHSPOT", Money.cny(0));
            ObjectNode spot = PlatformClient.JSON.createObjectNode().put("name", "Bench Spot").put("contactPhone", "13900000000");
            spot.set("receivingAccount", account("HUIJINBAO", "ACCOUNT_NO", "BENCHSPOT").put("holderName", "Bench Spot"));
            String spotId = admin.admin("POST", "/admin/v1/scenic-spots", spot).expect(201).json().path("id").asText();
            LocalDate today = today();
            String productId = admin.admin("POST", "/admin/v1/products", PlatformClient.JSON.createObjectNode().put("spotId", spotId)
                    .put("name", "Day pass").put("distributorPrice", "100.00").put("scenicPrice", "90.00")
                    .put("validFrom", today.toString()).put("validUntil", today.plusDays(30).toString()).put("validDays", 10))
                    .expect(201).json().path("id").asText();
            List<Key> keys = new ArrayList<>();
            for (int i = 0; i < distributors; i++) {
                String accountNo = "BENCHD" + i;
                rails.huijinbao().openAccount(accountNo, Money.parseCny("9000000000.00"));
                ObjectNode d = PlatformClient.JSON.createObjectNode().put("name", "Bench Travel " + i)
                        .put("contactPhone", String.format("1370000%04d", i));
                d.set("paymentAccount", account("HUIJINBAO", "ACCOUNT_NO", accountNo));
                JsonNode r = admin.admin("POST", "/admin/v1/distributors", d).expect(201).json();
                keys.add(new Key(r.path("distributor").path("id").asText(), r.path("apiKey").path("keyId").asText(),
                        r.path("apiKey").path("secret").asText()));
            }
            return new HttpStack(dir, rails, app, admin, List.copyOf(keys), productId, spotId);
        } catch (RuntimeException e) {
            if (app != null) {
                app.close();
            }
            rails.close();
            throw e;
        }
    }

    private static ObjectNode account(String rail, String type, String identity) {
        return PlatformClient.JSON.createObjectNode().put("rail", rail).put("identityType", type).put("identity", identity);
    }

    public static LocalDate today() {
        return LocalDate.now(ZONE);
    }

    public AppProcess app() {
        return app;
    }

    public PlatformClient admin() {
        return admin;
    }

    public List<Key> keys() {
        return keys;
    }

    public String productId() {
        return productId;
    }

    public String spotId() {
        return spotId;
    }

    public Sandboxes rails() {
        return rails;
    }

    public Path dir() {
        return dir;
    }

    @Override
    public void close() {
        try {
            app.close();
        } finally {
            rails.close();
            try (Stream<Path> s = Files.walk(dir)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                // a temp directory left behind is harmless
            }
        }
    }
}
