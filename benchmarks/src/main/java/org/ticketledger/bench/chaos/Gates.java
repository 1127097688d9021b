package org.ticketledger.bench.chaos;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.ticketledger.bench.http.AppProcess;
import org.ticketledger.bench.http.PlatformClient;
import org.ticketledger.verify.LoginResult;
import org.ticketledger.verify.OperatorCredentials;
import org.ticketledger.verify.ProvisionResult;
import org.ticketledger.verify.RedeemResult;
import org.ticketledger.verify.ResultCode;
import org.ticketledger.verify.SyncResult;
import org.ticketledger.verify.UnableToAuthenticateException;
import org.ticketledger.verify.UnableToCallServerException;
import org.ticketledger.verify.VerifierClient;

/**
 * One gate device per scenic spot, each the real device SDK ({@link VerifierClient}) provisioned
 * through the admin API's QR token and logged in by an operator. Redemptions go online while the
 * app is up and fall back to the device's durable offline queue while it is down (a SIGKILL, a
 * database restart); {@link #syncAll} uploads the queue later. Thread-safe.
 */
final class Gates implements AutoCloseable {

    private static final String USER = "chaos.gate";
    private static final String PASSWORD = "chaos gate password";
    /** Kept so that the level sticks: the SDK logs every offline fallback with its stack trace. */
    private static final java.util.logging.Logger SDK_LOG = java.util.logging.Logger.getLogger("org.ticketledger.verify");

    static {
        SDK_LOG.setLevel(java.util.logging.Level.SEVERE);
    }

    private final Map<String, VerifierClient> bySpot;
    private final PrintStream log;
    final AtomicLong online = new AtomicLong();
    final AtomicLong offline = new AtomicLong();
    /** Conflicts and rejections reported at sync: each is a visitor admitted whom the platform does not count. */
    final List<String> syncTrouble = new CopyOnWriteArrayList<>();

    private Gates(Map<String, VerifierClient> bySpot, PrintStream log) {
        this.bySpot = bySpot;
        this.log = log;
    }

    static Gates open(PlatformClient api, List<Business.Spot> spots, Path dir, PrintStream log) {
        ObjectNode op = PlatformClient.JSON.createObjectNode().put("username", USER).put("name", "Chaos Gate").put("password", PASSWORD);
        spots.forEach(s -> op.withArray("spotIds").add(s.id()));
        api.admin("POST", "/admin/v1/operators", op).expect(201);
        Map<String, VerifierClient> clients = new LinkedHashMap<>();
        try {
            for (Business.Spot s : spots) {
                String qr = api.admin("POST", "/admin/v1/devices/provisioning-tokens",
                        PlatformClient.JSON.createObjectNode().put("spotId", s.id()).put("gate", "Gate 1")).expect(201)
                        .json().path("qrText").asText();
                VerifierClient c = VerifierClient.builder().serverUrl(URI.create(api.base().toString()))
                        .dataDirectory(dir.resolve(s.id()).toFile()).zone(Business.ZONE)
                        .requestTimeout(Duration.ofSeconds(10)).redeemTimeout(Duration.ofSeconds(5))
                        .onlineRetryInterval(Duration.ofMillis(500)).build();
                clients.put(s.id(), c);
                ProvisionResult p = c.provision(qr);
                if (!(p instanceof ProvisionResult.Provisioned)) {
                    throw new IllegalStateException("gate at " + s.id() + " not provisioned: " + p);
                }
                login(c);
                c.sync();
            }
        } catch (RuntimeException e) {
            clients.values().forEach(VerifierClient::close);
            throw e;
        }
        return new Gates(clients, log);
    }

    private static void login(VerifierClient c) {
        LoginResult r = c.login(OperatorCredentials.password(USER, PASSWORD));
        if (!(r instanceof LoginResult.LoggedIn)) {
            throw new IllegalStateException("gate login refused: " + r);
        }
    }

    /**
     * Scans {@code code} at the gate of {@code spotId} until the device gives a verdict (online or
     * offline); a verdict of "already redeemed" after a lost answer counts as admitted. Returns
     * whether the visitor was admitted.
     */
    boolean redeem(String spotId, String code, Duration patience) {
        VerifierClient c = bySpot.get(spotId);
        long deadline = System.nanoTime() + patience.toNanos();
        boolean retried = false;
        while (true) {
            try {
                RedeemResult r = c.redeem(code);
                if (r.admits()) {
                    (r.mode() == RedeemResult.Mode.ONLINE ? online : offline).incrementAndGet();
                    return true;
                }
                if (retried && r.code() == ResultCode.ALREADY_REDEEMED) {
                    online.incrementAndGet();
                    return true;
                }
                throw new IllegalStateException("gate refused " + r.code() + ": " + r.reason());
            } catch (UnableToAuthenticateException e) {
                relogin(c);
            } catch (UnableToCallServerException e) {
                // A 4xx the SDK does not fall back on (e.g. a session the restarted app no longer knows).
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                AppProcess.sleep(250);
            }
            retried = true;
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("gate at " + spotId + " gave no verdict within " + patience);
            }
        }
    }

    private static void relogin(VerifierClient c) {
        synchronized (c) {
            try {
                login(c);
            } catch (RuntimeException e) {
                AppProcess.sleep(250); // the app may be restarting; the next scan tries again
            }
        }
    }

    /** Uploads every gate's queue; returns how many records are still queued. */
    int syncAll() {
        int queued = 0;
        for (Map.Entry<String, VerifierClient> g : bySpot.entrySet()) {
            VerifierClient c = g.getValue();
            try {
                SyncResult r = c.sync();
                r.conflicts().forEach(x -> syncTrouble.add("conflict at " + g.getKey() + ": " + x + " " + x.message()));
                r.rejections().forEach(x -> syncTrouble.add("rejection at " + g.getKey() + ": " + x + " " + x.message()));
                queued += r.stillQueued();
            } catch (UnableToAuthenticateException e) {
                relogin(c);
                queued += c.status().queueDepth();
            } catch (RuntimeException e) {
                queued += c.status().queueDepth();
            }
        }
        return queued;
    }

    /** Syncs until every queue is empty or {@code timeout} passes; returns what is still queued. */
    int drain(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        int queued;
        while ((queued = syncAll()) > 0 && System.nanoTime() < deadline) {
            log.println("chaos: " + queued + " offline redemptions still queued on the gates");
            AppProcess.sleep(1000);
        }
        return queued;
    }

    @Override
    public void close() {
        bySpot.values().forEach(VerifierClient::close);
    }
}
