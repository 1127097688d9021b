package org.ticketledger.alipay.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.ticketledger.alipay.AlipayKeys;
import org.ticketledger.alipay.RawGateway;
import org.ticketledger.alipay.internal.SignedReply;
import org.ticketledger.ledger.Money;

/**
 * The sandbox's gateway rules, spoken to directly with signed requests (no rail in between):
 * layouts, signature, timestamp, app id, idempotency, limits, agreements, and the control API.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AlipaySandboxIT {

    private static final Instant NOW = Instant.parse("2026-11-26T02:00:00Z");

    private AlipaySandbox sandbox;
    private RawGateway gateway;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    void start() {
        sandbox = AlipaySandbox.builder().clock(Clock.fixed(NOW, ZoneOffset.UTC)).start();
        gateway = new RawGateway(sandbox.gatewayUri(), sandbox.appId(), sandbox.appPrivateKey().orElseThrow(), Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @AfterAll
    void stop() {
        sandbox.close();
    }

    @BeforeEach
    void clear() {
        sandbox.clearFaults();
    }

    private JsonNode verified(String method, String body) {
        SignedReply.Check check = SignedReply.check(body, method, sandbox.alipayPublicKey());
        assertThat(check).as("every reply is signed over its exact bytes").isInstanceOf(SignedReply.Verified.class);
        return ((SignedReply.Verified) check).fields();
    }

    private String pay(String outTradeNo, String amount, String agreementNo) {
        return "{\"out_trade_no\":\"" + outTradeNo + "\",\"total_amount\":\"" + amount + "\",\"subject\":\"门票\","
                + "\"product_code\":\"GENERAL_WITHHOLDING\",\"agreement_params\":{\"agreement_no\":\"" + agreementNo + "\"}}";
    }

    private String transfer(String outBizNo, String amount, String identity, String type, String name) {
        return "{\"out_biz_no\":\"" + outBizNo + "\",\"trans_amount\":\"" + amount + "\",\"product_code\":\"TRANS_ACCOUNT_NO_PWD\","
                + "\"biz_scene\":\"DIRECT_TRANSFER\",\"order_title\":\"结算\",\"payee_info\":{\"identity\":\"" + identity
                + "\",\"identity_type\":\"" + type + "\"" + (name == null ? "" : ",\"name\":\"" + name + "\"") + "}}";
    }

    @Test
    void theSandboxesServerSendsWithoutNagleUnlessTheJvmChoseOtherwise() {
        // Read by the JDK once, when its first server starts: if this class did not set it before
        // starting one, every reply's body would wait ~40 ms for the client's delayed ACK.
        assertThat(System.getProperty("sun.net.httpserver.nodelay")).isEqualTo("true");
    }

    @Test
    void sdkLayoutAndAllInBodyLayoutBothWork() {
        SandboxAccount a = sandbox.openAccount("layout@example.com", "甲", Money.parseCny("10.00"));
        String agreement = sandbox.signAgreement(a.userId());

        var sdk = gateway.call("alipay.trade.pay", pay("L-1", "1.00", agreement), RawGateway.Layout.SDK, NOW, p -> { });
        var body = gateway.call("alipay.trade.pay", pay("L-2", "2.00", agreement), RawGateway.Layout.BODY, NOW, p -> { });

        assertThat(verified("alipay.trade.pay", sdk.body()).get("code").asText()).isEqualTo("10000");
        assertThat(verified("alipay.trade.pay", body.body()).get("code").asText()).isEqualTo("10000");
        assertThat(sandbox.balance(a.userId())).isEqualTo(Money.parseCny("7.00"));
    }

    @Test
    void gatewayRefusesBadSignatureWrongAppStaleTimestampAndMissingParametersWithoutMovingMoney() {
        SandboxAccount a = sandbox.openAccount("gate@example.com", "乙", Money.parseCny("10.00"));
        String agreement = sandbox.signAgreement(a.userId());
        String biz = pay("G-1", "1.00", agreement);

        var badSign = gateway.call("alipay.trade.pay", biz, RawGateway.Layout.SDK, NOW, p -> p.put("biz_content", biz.replace("1.00", "2.00")));
        JsonNode refused = verified("alipay.trade.pay", badSign.body());
        assertThat(refused.get("code").asText()).isEqualTo("40002");
        assertThat(refused.get("sub_code").asText()).isEqualTo("isv.invalid-signature");
        assertThat(refused.get("sub_msg").asText()).contains("sign_type=RSA2&timestamp=");

        var otherKey = new RawGateway(sandbox.gatewayUri(), sandbox.appId(), AlipayKeys.generate().getPrivate(), Clock.fixed(NOW, ZoneOffset.UTC));
        assertThat(verified("alipay.trade.pay", otherKey.call("alipay.trade.pay", biz).body()).get("sub_code").asText())
                .isEqualTo("isv.invalid-signature");

        var stale = gateway.call("alipay.trade.pay", biz, RawGateway.Layout.SDK, NOW.minus(Duration.ofMinutes(16)), p -> { });
        assertThat(verified("alipay.trade.pay", stale.body()).get("sub_code").asText()).isEqualTo("isv.invalid-timestamp");
        var early = gateway.call("alipay.trade.pay", biz, RawGateway.Layout.SDK, NOW.plus(Duration.ofMinutes(14)), p -> { });
        assertThat(verified("alipay.trade.pay", early.body()).get("code").asText()).isEqualTo("10000");

        var noSign = gateway.call("alipay.trade.pay", biz, RawGateway.Layout.SDK, NOW, p -> p.remove("sign"));
        assertThat(verified("alipay.trade.pay", noSign.body()).get("sub_code").asText()).isEqualTo("isv.missing-signature");

        var wrongApp = gateway.call("alipay.trade.pay", biz, RawGateway.Layout.SDK, NOW, p -> p.put("app_id", "2021999999999999"));
        assertThat(verified("alipay.trade.pay", wrongApp.body()).get("sub_code").asText()).isEqualTo("isv.invalid-app-id");

        var unknownMethod = gateway.call("alipay.trade.refund", biz);
        assertThat(SignedReply.check(unknownMethod.body(), "alipay.trade.refund", sandbox.alipayPublicKey()))
                .isInstanceOfSatisfying(SignedReply.Verified.class, v -> {
                    assertThat(v.node()).isEqualTo("error_response");
                    assertThat(v.fields().get("sub_code").asText()).isEqualTo("isv.invalid-method");
                });

        var conflicting = gateway.call("alipay.trade.pay", biz, RawGateway.Layout.SDK, NOW, p -> { });
        assertThat(sandbox.balance(a.userId())).as("only the in-window request moved money").isEqualTo(Money.parseCny("9.00"));
        assertThat(verified("alipay.trade.pay", conflicting.body()).get("sub_code").asText()).isEqualTo("ACQ.TRADE_HAS_SUCCESS");
    }

    @Test
    void sameParameterWithDifferentValuesInQueryAndBodyIsRefused() {
        URI query = URI.create(sandbox.gatewayUri() + "?method=alipay.trade.query&app_id=" + sandbox.appId());

        var clash = gateway.post(query, "method=alipay.trade.pay");

        assertThat(SignedReply.check(clash.body(), "alipay.trade.query", sandbox.alipayPublicKey()))
                .isInstanceOfSatisfying(SignedReply.Verified.class, v -> {
                    assertThat(v.node()).isEqualTo("error_response");
                    assertThat(v.fields().get("sub_code").asText()).isEqualTo("isv.invalid-parameter");
                });
    }

    @Test
    void tradeIdempotencyFollowsAlipay() {
        SandboxAccount a = sandbox.openAccount("idem@example.com", "丙", Money.parseCny("100.00"));
        String agreement = sandbox.signAgreement(a.userId());

        JsonNode first = verified("alipay.trade.pay", gateway.call("alipay.trade.pay", pay("I-1", "10.00", agreement)).body());
        JsonNode again = verified("alipay.trade.pay", gateway.call("alipay.trade.pay", pay("I-1", "10.00", agreement)).body());
        JsonNode changed = verified("alipay.trade.pay", gateway.call("alipay.trade.pay", pay("I-1", "11.00", agreement)).body());
        JsonNode retitled = verified("alipay.trade.pay", gateway.call("alipay.trade.pay",
                pay("I-1", "10.00", agreement).replace("门票", "另一个标题")).body());

        assertThat(first.get("code").asText()).isEqualTo("10000");
        assertThat(first.get("gmt_payment").asText()).isEqualTo("2026-11-26 10:00:00");
        assertThat(again.get("sub_code").asText()).isEqualTo("ACQ.TRADE_HAS_SUCCESS");
        assertThat(changed.get("sub_code").asText()).isEqualTo("ACQ.CONTEXT_INCONSISTENT");
        assertThat(retitled.get("sub_code").asText()).as("the subject is not part of the comparison").isEqualTo("ACQ.TRADE_HAS_SUCCESS");
        assertThat(sandbox.balance(a.userId())).isEqualTo(Money.parseCny("90.00"));
        assertThat(sandbox.transactions()).filteredOn(t -> t.outNo().equals("I-1")).hasSize(1);
    }

    @Test
    void transferIdempotencyReturnsTheOriginalSuccess() {
        SandboxAccount b = sandbox.openAccount("payee@example.com", "丁", Money.parseCny("0.00"));
        sandbox.setPlatformBalance(Money.parseCny("100.00"));

        JsonNode first = verified("alipay.fund.trans.uni.transfer", gateway.call("alipay.fund.trans.uni.transfer",
                transfer("T-1", "5.00", b.userId(), "ALIPAY_USER_ID", null)).body());
        JsonNode again = verified("alipay.fund.trans.uni.transfer", gateway.call("alipay.fund.trans.uni.transfer",
                transfer("T-1", "5.00", b.userId(), "ALIPAY_USER_ID", null)).body());
        JsonNode changed = verified("alipay.fund.trans.uni.transfer", gateway.call("alipay.fund.trans.uni.transfer",
                transfer("T-1", "5.00", "payee@example.com", "ALIPAY_LOGON_ID", "丁")).body());

        assertThat(again.get("order_id")).isEqualTo(first.get("order_id"));
        assertThat(again.get("status").asText()).isEqualTo("SUCCESS");
        assertThat(changed.get("sub_code").asText()).isEqualTo("PAYMENT_INFO_INCONSISTENCY");
        assertThat(sandbox.balance(b.userId())).isEqualTo(Money.parseCny("5.00"));
        assertThat(sandbox.platformBalance()).isEqualTo(Money.parseCny("95.00"));
    }

    @Test
    void limitsParametersAndPayeesAreCheckedLikeAlipay() {
        SandboxAccount a = sandbox.openAccount("limits@example.com", "戊", Money.parseCny("200000000.00"));
        String agreement = sandbox.signAgreement(a.userId());
        sandbox.setPlatformBalance(Money.parseCny("200000000.00"));

        assertThat(sub("alipay.trade.pay", pay("M-1", "100000000.01", agreement))).isEqualTo("ACQ.TOTAL_FEE_EXCEED");
        assertThat(sub("alipay.trade.pay", pay("M-2", "1.001", agreement))).isEqualTo("ACQ.INVALID_PARAMETER");
        assertThat(sub("alipay.trade.pay", pay("M-3", "-1.00", agreement))).isEqualTo("ACQ.INVALID_PARAMETER");
        assertThat(sub("alipay.trade.pay", pay("M-4", "1.00", agreement).replace("}}", "},\"scene\":\"bar_code\"}")))
                .isEqualTo("ACQ.INVALID_PARAMETER");
        assertThat(sub("alipay.trade.pay", pay("M-5", "1.00", "20260000000000000000"))).isEqualTo("ACQ.AGREEMENT_NOT_EXIST");
        assertThat(sub("alipay.fund.trans.uni.transfer", transfer("N-1", "0.09", a.userId(), "ALIPAY_USER_ID", null)))
                .isEqualTo("EXCEED_LIMIT_SM_MIN_AMOUNT");
        assertThat(sub("alipay.fund.trans.uni.transfer", transfer("N-2", "100000000.01", a.userId(), "ALIPAY_USER_ID", null)))
                .isEqualTo("EXCEED_LIMIT_SM_AMOUNT");
        assertThat(sub("alipay.fund.trans.uni.transfer", transfer("N-3", "1.00", "limits@example.com", "ALIPAY_LOGON_ID", null)))
                .isEqualTo("INVALID_PARAMETER");
        assertThat(sub("alipay.fund.trans.uni.transfer", transfer("N-4", "1.00", "limits@example.com", "ALIPAY_LOGON_ID", "别人")))
                .isEqualTo("PAYEE_USER_INFO_ERROR");
        assertThat(sub("alipay.fund.trans.uni.transfer", transfer("N-5", "1.00", "2088777777777777", "ALIPAY_USER_ID", null)))
                .isEqualTo("PAYEE_NOT_EXIST");
        assertThat(sub("alipay.fund.account.query", "{\"alipay_user_id\":\"" + a.userId() + "\",\"account_type\":\"ACCTRANS_ACCOUNT\"}"))
                .isEqualTo("isv.insufficient-isv-permissions");
        assertThat(sandbox.balance(a.userId())).isEqualTo(Money.parseCny("200000000.00"));
        assertThat(sandbox.platformBalance()).isEqualTo(Money.parseCny("200000000.00"));

        sandbox.revokeAgreement(agreement);
        assertThat(sub("alipay.trade.pay", pay("M-6", "1.00", agreement))).isEqualTo("ACQ.AGREEMENT_INVALID");
    }

    @Test
    void transferQueryNeedsProductAndSceneWithAnOutBizNo() {
        assertThat(sub("alipay.fund.trans.common.query", "{\"out_biz_no\":\"nope\"}")).isEqualTo("INVALID_PARAMETER");
        assertThat(sub("alipay.fund.trans.common.query",
                "{\"out_biz_no\":\"nope\",\"product_code\":\"TRANS_ACCOUNT_NO_PWD\",\"biz_scene\":\"DIRECT_TRANSFER\"}"))
                .isEqualTo("ORDER_NOT_EXIST");
    }

    private String sub(String method, String biz) {
        JsonNode f = verified(method, gateway.call(method, biz).body());
        return Optional.ofNullable(f.get("sub_code")).map(JsonNode::asText).orElse(f.get("code").asText());
    }

    @Test
    void controlApiCreatesFundsFaultsAndLists() throws Exception {
        JsonNode account = control("POST", "accounts",
                "{\"logon_id\":\"ctl@example.com\",\"name\":\"己\",\"balance\":\"50.00\",\"agreement\":true}", 200);
        String userId = account.get("user_id").asText();
        assertThat(account.get("agreement_no").asText()).isNotEmpty();
        assertThat(control("POST", "accounts/" + userId + "/fund", "{\"amount\":\"25.50\"}", 200).get("balance").asText())
                .isEqualTo("75.50");
        assertThat(control("POST", "accounts/" + userId + "/balance", "{\"amount\":\"1.00\"}", 200).get("balance").asText())
                .isEqualTo("1.00");
        assertThat(sandbox.balance(userId)).isEqualTo(Money.parseCny("1.00"));
        assertThat(control("GET", "accounts/" + userId, null, 200).get("name").asText()).isEqualTo("己");
        assertThat(control("GET", "accounts", null, 200).findValuesAsText("user_id")).contains(userId, sandbox.platformUserId());
        assertThat(control("POST", "agreements", "{\"user_id\":\"" + userId + "\"}", 200).get("agreement_no").asText()).isNotEmpty();
        assertThat(control("GET", "info", null, 200).get("app_id").asText()).isEqualTo(sandbox.appId());

        control("POST", "faults", "{\"method\":\"alipay.fund.account.query\",\"fault\":\"server_error\",\"times\":1}", 200);
        assertThat(gateway.call("alipay.fund.account.query", "{\"alipay_user_id\":\"" + sandbox.platformUserId() + "\"}").status())
                .isEqualTo(502);
        assertThat(gateway.call("alipay.fund.account.query", "{\"alipay_user_id\":\"" + sandbox.platformUserId() + "\"}").status())
                .isEqualTo(200);
        control("POST", "faults", "{\"method\":\"alipay.fund.account.query\",\"fault\":\"SERVER_ERROR\",\"times\":3}", 200);
        control("DELETE", "faults", null, 200);
        assertThat(gateway.call("alipay.fund.account.query", "{\"alipay_user_id\":\"" + sandbox.platformUserId() + "\"}").status())
                .isEqualTo(200);

        assertThat(control("GET", "transactions", null, 200).isArray()).isTrue();
        control("POST", "faults", "{\"method\":\"alipay.nope\",\"fault\":\"SERVER_ERROR\"}", 400);
        control("POST", "accounts/" + userId + "/fund", "{\"amount\":\"-1\"}", 400);
        control("GET", "nothing-here", null, 404);
    }

    @Test
    void javaApiRefusesNonsense() {
        assertThatThrownBy(() -> sandbox.setBalance("2088000000009999", Money.cny(1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> sandbox.fund(sandbox.platformUserId(), Money.cny(-1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> sandbox.injectFault("alipay.trade.pay", AlipayFault.REPLY_LOST, 0)).isInstanceOf(IllegalArgumentException.class);
        sandbox.openAccount("dup@example.com", "x", Money.cny(0));
        assertThatThrownBy(() -> sandbox.openAccount("dup@example.com", "y", Money.cny(0)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private JsonNode control(String method, String path, String json, int status) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(sandbox.controlUri().resolve(path));
        b.method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8));
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        assertThat(r.statusCode()).as(method + " " + path + ": " + r.body()).isEqualTo(status);
        return SignedReply.JSON.readTree(r.body());
    }
}
