package org.ticketledger.huijinbao;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ticketledger.huijinbao.Fixture.yuan;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.ticketledger.huijinbao.internal.Wire;
import org.ticketledger.payment.Instruction;
import org.ticketledger.payment.InstructionType;
import org.ticketledger.payment.PlanId;
import org.ticketledger.payment.PositionResult;
import org.ticketledger.payment.RailOutcome;
import org.ticketledger.payment.RequestId;
import org.ticketledger.payment.WealthInstruction;
import org.ticketledger.huijinbao.sandbox.HuijinbaoSandbox;

/** The sandbox's HTTP control API drives the same state as its Java API. */
class ControlApiIT {

    private static final String TOKEN = "let-me-in";
    private Fixture f;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() {
        f = Fixture.start(s -> s.controlToken(TOKEN), r -> r);
    }

    @AfterEach
    void stop() {
        f.close();
    }

    private HttpResponse<String> call(String method, String path, String body, boolean withToken) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(f.sandbox.baseUri() + path)).timeout(Duration.ofSeconds(5))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (withToken) {
            b.header("X-HJB-Control-Token", TOKEN);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode ok(String method, String path, String body) throws Exception {
        HttpResponse<String> r = call(method, path, body, true);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return Wire.JSON.readTree(r.body());
    }

    @Test
    void refusesCallsWithoutTheToken() throws Exception {
        assertThat(call("GET", "/control/state", null, false).statusCode()).isEqualTo(401);
        assertThat(call("POST", "/control/accounts", "{\"account_no\":\"X1\",\"balance\":\"1.00\"}", false).statusCode())
                .isEqualTo(401);
        assertThat(f.sandbox.hasAccount("X1")).isFalse();
    }

    @Test
    void opensAccountsFundsThemOpensPlansMovesTimeAndArmsFaults() throws Exception {
        ok("POST", "/control/accounts", "{\"account_no\":\"D0001\",\"balance\":\"500.00\"}");
        ok("POST", "/control/accounts/D0001/deposit", "{\"amount\":\"100.00\"}");
        ok("POST", "/control/accounts/PLATFORM0001/deposit", "{\"amount\":\"10000.00\"}");
        ok("POST", "/control/plans", "{\"plan_id\":\"P2\",\"annual_rate_bp\":365}");
        assertThat(f.sandbox.balance("D0001")).isEqualTo(yuan("600.00"));

        assertThat(f.rail.subscribe(new WealthInstruction(RequestId.of("S-1"), PlanId.of("P2"), yuan("10000.00"))))
                .isInstanceOf(RailOutcome.Succeeded.class);
        JsonNode state = ok("POST", "/control/clock/advance", "{\"days\":10}");
        // 1000000 × 365 × 10 / 3650000 = 1000 fen
        assertThat(state.path("plans").path("P2").path("accrued_yield").asText()).isEqualTo("10.00");
        assertThat(f.rail.position(PlanId.of("P2"))).isInstanceOfSatisfying(PositionResult.Position.class,
                p -> assertThat(p.accruedYield()).isEqualTo(yuan("10.00")));

        ok("POST", "/control/faults", "{\"kind\":\"LOST_REPLY\",\"operations\":[\"COLLECT\"]}");
        assertThat(f.sandbox.pendingFaults()).isEqualTo(1);
        RailOutcome out = f.rail.collect(Instruction.collect(RequestId.of("C-1"), HuijinbaoSandbox.partyAccount("D0001"),
                yuan("100.00"), "order"));
        assertThat(out).isInstanceOf(RailOutcome.Unknown.class);
        assertThat(f.rail.query(InstructionType.COLLECT, RequestId.of("C-1"))).isInstanceOf(RailOutcome.Succeeded.class);
        assertThat(f.sandbox.pendingFaults()).isZero();
        assertThat(f.sandbox.balance("D0001")).isEqualTo(yuan("500.00"));

        ok("POST", "/control/plans/P2/close", null);
        assertThat(f.rail.redeem(new WealthInstruction(RequestId.of("R-1"), PlanId.of("P2"), yuan("1.00"))))
                .isInstanceOf(RailOutcome.Declined.class);
        ok("POST", "/control/plans/P2/reopen", null);
        ok("POST", "/control/faults", "{\"kind\":\"DELAY\",\"delay_ms\":50}");
        ok("DELETE", "/control/faults", null);
        assertThat(f.sandbox.pendingFaults()).isZero();
        // 500 + 100 deposited to D0001, 10000 to the platform; no yield paid out yet.
        JsonNode end = ok("GET", "/control/state", null);
        assertThat(end.path("total_funds").asText()).isEqualTo("10600.00");
        assertThat(end.path("deposited").asText()).isEqualTo("10600.00");
    }

    @Test
    void explainsBadControlRequests() throws Exception {
        HttpResponse<String> badAmount = call("POST", "/control/accounts", "{\"account_no\":\"D1\",\"balance\":\"1.5\"}", true);
        HttpResponse<String> badFault = call("POST", "/control/faults", "{\"kind\":\"EARTHQUAKE\"}", true);
        HttpResponse<String> nowhere = call("POST", "/control/accounts/NOPE/deposit", "{\"amount\":\"1.00\"}", true);

        assertThat(badAmount.statusCode()).isEqualTo(400);
        assertThat(badAmount.body()).contains("two decimals");
        assertThat(badFault.statusCode()).isEqualTo(400);
        assertThat(nowhere.statusCode()).isEqualTo(404);
    }
}
