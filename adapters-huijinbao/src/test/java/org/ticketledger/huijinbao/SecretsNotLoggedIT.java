package org.ticketledger.huijinbao;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ticketledger.huijinbao.Fixture.yuan;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.ticketledger.huijinbao.sandbox.Fault;
import org.ticketledger.huijinbao.sandbox.SandboxOperation;
import org.ticketledger.payment.Instruction;
import org.ticketledger.payment.PartyAccount;
import org.ticketledger.payment.RequestId;
import org.ticketledger.payment.WealthInstruction;

/**
 * The shared secret never reaches a log line, an exception message, an outcome or a toString,
 * across successes, refusals, every fault and authentication failures, with all loggers at debug.
 */
class SecretsNotLoggedIT {

    private static final String SECRET = "c2VjcmV0LXRoYXQtbXVzdC1uZXZlci1iZS1sb2dnZWQtMDEyMzQ1Njc4OQ==";

    @Test
    void secretAppearsNowhere() throws Exception {
        // The fixture's rail retries writes within the call too, so faults exercise that path as well.
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        List<String> texts = new ArrayList<>();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try (Fixture f = Fixture.start(s -> s.secret(SECRET).platformBalance(yuan("1000.00")), r -> r.writeAttempts(3))) {
            PartyAccount m = f.member("M1001", "100.00");
            texts.add(f.rail.toString());
            texts.add(f.sandbox.toString());
            texts.add(f.rail.collect(Instruction.collect(RequestId.of("C-1"), m, yuan("10.00"), "t")).toString());
            texts.add(f.rail.collect(Instruction.collect(RequestId.of("C-1"), m, yuan("11.00"), "t")).toString());
            texts.add(f.rail.collect(Instruction.collect(RequestId.of("C-2"), m, yuan("1000.00"), "t")).toString());
            for (Fault fault : List.of(Fault.lostReply(), Fault.serverError(), Fault.forgedReply(),
                    Fault.serverErrorAfterProcessing(), Fault.delay(Duration.ofMillis(1200)))) {
                f.sandbox.injectFault(fault, SandboxOperation.PAYOUT);
                texts.add(f.rail.payout(Instruction.payout(RequestId.of("P-" + fault.kind()), m, yuan("1.00"), "t")).toString());
            }
            try (HuijinbaoRail once = f.otherRail(r -> r.readAttempts(1))) {
                f.sandbox.injectFault(Fault.forgedReply(), SandboxOperation.SUBSCRIBE);
                texts.add(once.subscribe(new WealthInstruction(RequestId.of("S-1"), Fixture.PLAN, yuan("1.00"))).toString());
            }
            RawClient raw = new RawClient(f.sandbox.baseUri());
            raw.send(RawClient.get("/v1/accounts/PLATFORM0001/balance", f.sandbox.keyId(),
                    Base64.getEncoder().encodeToString(new byte[32])));
            texts.add(f.rail.balance().toString());
            texts.add(f.rail.position(Fixture.PLAN).toString());
            f.sandbox.awaitIdle(Duration.ofSeconds(3));
        } finally {
            System.setErr(original);
        }
        texts.add(message(() -> new HuijinbaoRailProvider().create(Map.of("huijinbao.base-url", "http://127.0.0.1:1",
                "huijinbao.key-id", "k", "huijinbao.secret", "dG9vLXNob3J0", "huijinbao.platform-account", "P1"))));
        texts.add(message(() -> HuijinbaoRail.builder().secret("dG9vLXNob3J0")));

        String log = captured.toString(StandardCharsets.UTF_8);
        byte[] raw = Base64.getDecoder().decode(SECRET);
        List<String> forms = List.of(SECRET, new String(raw, StandardCharsets.UTF_8), HexFormat.of().formatHex(raw),
                Base64.getUrlEncoder().withoutPadding().encodeToString(raw), "dG9vLXNob3J0");

        assertThat(log).as("the capture works").contains("Huijinbao COLLECT C-1").contains("outcome unknown");
        for (String form : forms) {
            assertThat(log).doesNotContain(form);
            assertThat(texts).noneMatch(t -> t.contains(form));
        }
    }

    private static String message(Runnable r) {
        try {
            r.run();
            return "";
        } catch (RuntimeException e) {
            return e.toString();
        }
    }
}
