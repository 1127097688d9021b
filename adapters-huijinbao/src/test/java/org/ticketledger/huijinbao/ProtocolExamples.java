package org.ticketledger.huijinbao;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.ticketledger.huijinbao.internal.Signing;
import org.ticketledger.huijinbao.sandbox.HuijinbaoSandbox;
import org.ticketledger.ledger.Money;
import org.ticketledger.ledger.testing.MutableClock;
import org.ticketledger.payment.PlanId;

/**
 * Produces the "Examples" section of PROTOCOL.md by running real, signed requests against a
 * sandbox with fixed clocks, a fixed example secret and fixed nonces, so every signature in the
 * document is one the code computed and the sandbox accepted.
 */
final class ProtocolExamples {

    static final String KEY_ID = "demo-key-01";
    /** Base64 of "HJB-API v1 example secret - 32+ bytes, never use it". */
    static final String SECRET = "SEpCLUFQSSB2MSBleGFtcGxlIHNlY3JldCAtIDMyKyBieXRlcywgbmV2ZXIgdXNlIGl0";
    static final String PLATFORM = "PLAT0001";
    static final String MEMBER = "M10001";
    static final PlanId PLAN = PlanId.of("HJB-WM-90");
    static final Instant START = Instant.parse("2026-12-01T02:00:00Z");

    private final HuijinbaoSandbox sandbox;
    private final MutableClock wall;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final StringBuilder out = new StringBuilder();
    private int nonces;

    private ProtocolExamples(HuijinbaoSandbox sandbox, MutableClock wall) {
        this.sandbox = sandbox;
        this.wall = wall;
    }

    /** The generated Markdown. */
    static String render() {
        MutableClock wall = new MutableClock(START);
        MutableClock business = new MutableClock(START);
        try (HuijinbaoSandbox sandbox = HuijinbaoSandbox.builder()
                .keyId(KEY_ID)
                .secret(SECRET)
                .platformAccount(PLATFORM)
                .platformBalance(Money.parseCny("50000.00"))
                .account(MEMBER, Money.parseCny("1000.00"))
                .account("S20001", Money.parseCny("0.00"))
                .plan(PLAN, 285)
                .clock(business)
                .transportClock(wall)
                .start()) {
            return new ProtocolExamples(sandbox, wall).run();
        }
    }

    private String run() {
        String collect = "{\"request_id\":\"ORD-20261201-0001\",\"platform_account\":\"PLAT0001\",\"account_no\":\"M10001\","
                + "\"amount\":\"101.00\",\"currency\":\"CNY\",\"title\":\"Scenic ticket order 0001\"}";

        section("Collect: debit a member account into the platform account");
        walkthrough("POST", "/v1/transfers/collect", collect);
        exchange("POST", "/v1/transfers/collect", collect);

        section("Repeating the collect with the same request id and body: the original result");
        exchange("POST", "/v1/transfers/collect", collect);

        section("The same request id with a different body: 409 IDEMPOTENCY_CONFLICT");
        exchange("POST", "/v1/transfers/collect", collect.replace("101.00", "102.00"));

        section("Collect refused: the member's balance is short (422; nothing recorded, the id may be sent again once funded)");
        exchange("POST", "/v1/transfers/collect", "{\"request_id\":\"ORD-20261201-0002\",\"platform_account\":\"PLAT0001\","
                + "\"account_no\":\"M10001\",\"amount\":\"5000.00\",\"currency\":\"CNY\",\"title\":\"Scenic ticket order 0002\"}");

        section("Payout: platform account to a member account");
        exchange("POST", "/v1/transfers/payout", "{\"request_id\":\"PAY-20261201-0001\",\"platform_account\":\"PLAT0001\","
                + "\"account_no\":\"S20001\",\"amount\":\"89.10\",\"currency\":\"CNY\",\"title\":\"Settlement for ticket 0001\"}");

        section("Status query by request id");
        exchange("GET", "/v1/orders/collect/ORD-20261201-0001", "");

        section("Status query for a request id the rail never saw: 404 ORDER_NOT_FOUND");
        exchange("GET", "/v1/orders/payout/PAY-20261201-0099", "");

        section("Platform account balance");
        exchange("GET", "/v1/accounts/PLAT0001/balance", "");

        section("Wealth plan: subscribe");
        exchange("POST", "/v1/wealth/subscribe", "{\"request_id\":\"INV-20261201-0001\",\"platform_account\":\"PLAT0001\","
                + "\"plan_id\":\"HJB-WM-90\",\"amount\":\"10000.00\",\"currency\":\"CNY\"}");

        sandbox.advanceDays(30);
        section("Wealth plan: position 30 days later");
        exchange("GET", "/v1/wealth/plans/HJB-WM-90/positions/PLAT0001", "");

        section("Wealth plan: redeem an amount of principal");
        exchange("POST", "/v1/wealth/redeem", "{\"request_id\":\"WDR-20261231-0001\",\"platform_account\":\"PLAT0001\","
                + "\"plan_id\":\"HJB-WM-90\",\"amount\":\"4000.00\",\"currency\":\"CNY\"}");

        section("Wealth plan: a redemption larger than the position (422 AMOUNT_EXCEEDS_POSITION)");
        exchange("POST", "/v1/wealth/redeem", "{\"request_id\":\"WDR-20261231-0002\",\"platform_account\":\"PLAT0001\","
                + "\"plan_id\":\"HJB-WM-90\",\"amount\":\"6000.01\",\"currency\":\"CNY\"}");

        sandbox.advanceDays(60);
        section("Wealth plan: redeem all (principal plus accrued yield) 60 days after that");
        exchange("POST", "/v1/wealth/redeem-all", "{\"request_id\":\"EXP-20270301-0001\",\"platform_account\":\"PLAT0001\","
                + "\"plan_id\":\"HJB-WM-90\",\"currency\":\"CNY\"}");
        if (!out.toString().contains("\"principal\":\"6000.00\",\"yield\":\"51.53\"")) {
            throw new IllegalStateException("the redeem-all example no longer pays the documented 51.53 yuan of yield");
        }
        out.append("Yield check: 1000000 fen × 285 bp × 30 closes + 600000 fen × 285 bp × 60 closes = 18810000000; "
                + "floor(18810000000 / 3650000) = 5153 fen = 51.53 yuan.\n\n");

        section("Refused: timestamp outside the ±300 s window (401, nothing done)");
        exchangeAt("GET", "/v1/accounts/PLAT0001/balance", "", wall.instant().getEpochSecond() - 301, nextNonce());

        section("Refused: a nonce used before (401, nothing done)");
        String nonce = nextNonce();
        exchangeAt("GET", "/v1/accounts/PLAT0001/balance", "", wall.instant().getEpochSecond(), nonce);
        out.append("Sending exactly the same request again:\n\n");
        exchangeAt("GET", "/v1/accounts/PLAT0001/balance", "", wall.instant().getEpochSecond(), nonce);
        return out.toString();
    }

    private void section(String title) {
        out.append("### ").append(title).append("\n\n");
    }

    private void walkthrough(String method, String path, String body) {
        long ts = wall.instant().getEpochSecond();
        String nonce = String.format("%032x", nonces + 1L);
        String sts = Signing.requestStringToSign(KEY_ID, method, path, ts, nonce, body.getBytes(StandardCharsets.UTF_8));
        out.append("String to sign (lines joined by `\\n`, no trailing newline):\n\n```text\n").append(sts)
                .append("\n```\n\nSignature: `Base64(HMAC-SHA256(Base64Decode(secret), string_to_sign))` = `")
                .append(Signing.sign(Signing.key(SECRET), sts)).append("`\n\n");
    }

    private void exchange(String method, String path, String body) {
        exchangeAt(method, path, body, wall.instant().getEpochSecond(), nextNonce());
    }

    private String nextNonce() {
        return String.format("%032x", ++nonces);
    }

    private void exchangeAt(String method, String path, String body, long ts, String nonce) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        String signature = Signing.sign(Signing.key(SECRET),
                Signing.requestStringToSign(KEY_ID, method, path, ts, nonce, bytes));
        HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(sandbox.baseUri() + path))
                .timeout(Duration.ofSeconds(5))
                .header(Signing.KEY_ID, KEY_ID)
                .header(Signing.TIMESTAMP, Long.toString(ts))
                .header(Signing.NONCE, nonce)
                .header(Signing.SIGNATURE, signature);
        out.append("```http\n").append(method).append(' ').append(path).append(" HTTP/1.1\nHost: api.huijinbao.example\n");
        if ("POST".equals(method)) {
            req.header("Content-Type", "application/json; charset=utf-8").POST(HttpRequest.BodyPublishers.ofByteArray(bytes));
            out.append("Content-Type: application/json; charset=utf-8\n");
        } else {
            req.GET();
        }
        out.append(Signing.KEY_ID).append(": ").append(KEY_ID).append('\n')
                .append(Signing.TIMESTAMP).append(": ").append(ts).append('\n')
                .append(Signing.NONCE).append(": ").append(nonce).append('\n')
                .append(Signing.SIGNATURE).append(": ").append(signature).append('\n');
        if (!body.isEmpty()) {
            out.append('\n').append(body).append('\n');
        }
        out.append("```\n\n");
        HttpResponse<String> resp;
        try {
            resp = http.send(req.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        out.append("```http\nHTTP/1.1 ").append(resp.statusCode()).append(' ').append(reason(resp.statusCode())).append('\n')
                .append("Content-Type: application/json; charset=utf-8\n");
        for (String h : List.of(Signing.KEY_ID, Signing.TIMESTAMP, Signing.NONCE, Signing.SIGNATURE)) {
            resp.headers().firstValue(h).ifPresent(v -> out.append(h).append(": ").append(v).append('\n'));
        }
        out.append('\n').append(resp.body()).append("\n```\n\n");
        wall.advance(Duration.ofSeconds(1));
    }

    private static String reason(int status) {
        return switch (status) {
            case 200 -> "OK";
            case 401 -> "Unauthorized";
            case 404 -> "Not Found";
            case 409 -> "Conflict";
            case 422 -> "Unprocessable Content";
            default -> "";
        };
    }
}
