package org.ticketledger.example.device;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.time.Duration;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.ticketledger.example.http.Principal;
import org.ticketledger.example.testing.ConsoleClient;
import org.ticketledger.ticketing.ticket.Ticket;
import org.ticketledger.verify.LoginResult;
import org.ticketledger.verify.OperatorCredentials;
import org.ticketledger.verify.ProvisionResult;
import org.ticketledger.verify.RedeemResult;
import org.ticketledger.verify.VerifierClient;

/**
 * Two gates admit the same ticket while offline; when they sync, the conflict shows up in the
 * console's queue with both scans, and an operator marks it resolved with what they found.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleConflictsIT {

    @TempDir
    File dir;
    private DeviceWorld w;
    private int clients;

    @BeforeAll
    void world() {
        w = new DeviceWorld();
        w.platform.consoleAdmin("alice", "alice-password-1", Principal.AdminRole.OPERATOR);
    }

    @AfterAll
    void close() {
        w.close();
    }

    private VerifierClient ready(String gate, DeviceWorld.SwitchableTransport net) {
        VerifierClient c = VerifierClient.builder().serverUrl(w.url()).dataDirectory(new File(dir, "device-" + (++clients)))
                .transport(net).clock(w.clock).zone(ZoneOffset.UTC).requestTimeout(Duration.ofSeconds(10)).build();
        String token = w.provisioningToken(w.westLake, gate);
        assertThat(c.provision(token)).isInstanceOf(ProvisionResult.Provisioned.class);
        assertThat(c.login(OperatorCredentials.password("li.wei", DeviceWorld.PASSWORD))).isInstanceOf(LoginResult.LoggedIn.class);
        c.sync();
        return c;
    }

    @Test
    void aDoubleRedemptionFromOfflineGatesIsQueuedAndResolvedWithAReason() {
        DeviceWorld.SwitchableTransport netA = new DeviceWorld.SwitchableTransport();
        DeviceWorld.SwitchableTransport netB = new DeviceWorld.SwitchableTransport();
        Ticket ticket;
        try (VerifierClient a = ready("North gate", netA); VerifierClient b = ready("South gate", netB)) {
            ticket = w.ticket();
            netA.offline = true;
            netB.offline = true;
            assertThat(a.redeem(ticket.code()).mode()).isEqualTo(RedeemResult.Mode.OFFLINE);
            w.clock.advance(Duration.ofSeconds(30));
            assertThat(b.redeem(ticket.code()).mode()).isEqualTo(RedeemResult.Mode.OFFLINE);
            netA.offline = false;
            netB.offline = false;
            a.sync();
            assertThat(b.sync().conflicts()).hasSize(1);
        }

        ConsoleClient alice = new ConsoleClient(w.url()).loggedIn("alice", "alice-password-1");
        String queue = alice.get("/console/queues/conflicts").body();
        assertThat(queue).contains(ticket.number(), "West Lake", "North gate", "South gate");
        String id = queue.replaceAll("(?s).*<tr data-id=\"([0-9]+)\">.*", "$1");
        String page = alice.get("/console/conflicts/" + id).body();
        assertThat(page).contains("id=\"winner\"", "North gate", "id=\"resolve-form\"", ticket.orderId());

        alice.submit("/console/conflicts/" + id + "/resolve", "reason", "South gate let a second visitor in; fare collected at the gate");
        assertThat(alice.get("/console/queues/conflicts").body()).doesNotContain("<tr data-id=\"" + id + "\">");
        assertThat(alice.get("/console/conflicts/" + id).body()).contains("id=\"resolution\"", "fare collected at the gate");
        assertThat(alice.get("/console/audit?q=conflict:" + id).body()).contains("conflict.resolved", "console:alice");
        assertThat(alice.get("/console/conflicts/999999").statusCode()).isEqualTo(404);
    }
}
