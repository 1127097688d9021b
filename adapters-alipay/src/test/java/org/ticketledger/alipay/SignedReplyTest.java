package org.ticketledger.alipay;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.ticketledger.alipay.internal.Rsa2;
import org.ticketledger.alipay.internal.SignedReply;

/** Which replies count as verified: only the exact signed node text, once, with a valid signature. */
class SignedReplyTest {

    private static final String METHOD = "alipay.trade.pay";
    private static final String NODE = "alipay_trade_pay_response";

    private static String signed(String node, String content) {
        return "{\"" + node + "\":" + content + ",\"sign\":\"" + Rsa2.sign(Kat.alipayPrivateKey(), content) + "\"}";
    }

    private static SignedReply.Check check(String body) {
        return SignedReply.check(body, METHOD, Kat.alipayPublicKey());
    }

    @Test
    void extractsTheNodeExactlyEvenWithBracesQuotesAndEscapesInsideStrings() {
        String content = "{ \"code\" : \"10000\", \"msg\":\"a } \\\" { \\\\\", \"nested\":{\"x\":[1,{\"y\":\"}\"}]} }";
        String body = "{\"" + NODE + "\" :\n " + content + ",\"sign\":\"" + Rsa2.sign(Kat.alipayPrivateKey(), content) + "\"}";

        assertThat(SignedReply.signContent(body, NODE)).contains(content);
        assertThat(check(body)).isInstanceOfSatisfying(SignedReply.Verified.class,
                v -> assertThat(v.fields().get("msg").asText()).isEqualTo("a } \" { \\"));
    }

    @Test
    void signBeforeTheNodeIsFine() {
        String content = "{\"code\":\"10000\",\"msg\":\"Success\"}";
        String body = "{\"sign\":\"" + Rsa2.sign(Kat.alipayPrivateKey(), content) + "\",\"" + NODE + "\":" + content + "}";

        assertThat(check(body)).isInstanceOf(SignedReply.Verified.class);
    }

    @Test
    void repeatedNodeNameIsRefusedEvenWhenTheFirstNodeIsGenuinelySigned() {
        String genuine = "{\"code\":\"40004\",\"msg\":\"Business Failed\",\"sub_code\":\"ACQ.SYSTEM_ERROR\"}";
        String forged = "{\"code\":\"10000\",\"msg\":\"Success\",\"trade_no\":\"1\"}";
        String body = "{\"" + NODE + "\":" + genuine + ",\"sign\":\"" + Rsa2.sign(Kat.alipayPrivateKey(), genuine)
                + "\",\"" + NODE + "\":" + forged + "}";

        assertThat(check(body)).isInstanceOf(SignedReply.Refused.class);
        assertThat(SignedReply.signContent(body, NODE)).isEmpty();
    }

    @Test
    void nodeNameRepeatedInsideAnotherObjectIsRefused() {
        String content = "{\"code\":\"10000\",\"msg\":\"Success\"}";
        String body = "{\"" + NODE + "\":" + content + ",\"sign\":\"" + Rsa2.sign(Kat.alipayPrivateKey(), content)
                + "\",\"x\":{\"" + NODE + "\":{\"code\":\"10000\"}}}";

        assertThat(check(body)).isInstanceOf(SignedReply.Refused.class);
    }

    @Test
    void duplicateSignOrTrailingGarbageIsRefused() {
        String content = "{\"code\":\"10000\",\"msg\":\"Success\"}";
        String good = signed(NODE, content);
        String twoSigns = good.substring(0, good.length() - 1) + ",\"sign\":\"AAAA\"}";

        assertThat(check(good)).isInstanceOf(SignedReply.Verified.class);
        assertThat(check(twoSigns)).isInstanceOf(SignedReply.Refused.class);
        assertThat(check(good + "{}")).isInstanceOf(SignedReply.Refused.class);
    }

    @Test
    void alteredContentUnsignedOrNonTextSignOrHtmlIsRefused() {
        String content = "{\"code\":\"10000\",\"msg\":\"Success\",\"total_amount\":\"1.00\"}";
        String good = signed(NODE, content);

        assertThat(check(good.replace("1.00", "9.00"))).isInstanceOf(SignedReply.Refused.class);
        assertThat(check("{\"" + NODE + "\":" + content + "}")).isInstanceOf(SignedReply.Refused.class);
        assertThat(check("{\"" + NODE + "\":" + content + ",\"sign\":123}")).isInstanceOf(SignedReply.Refused.class);
        assertThat(check("{\"" + NODE + "\":" + content + ",\"sign\":\"\"}")).isInstanceOf(SignedReply.Refused.class);
        assertThat(check("<html>busy</html>")).isInstanceOf(SignedReply.Refused.class);
        assertThat(check("")).isInstanceOf(SignedReply.Refused.class);
    }

    @Test
    void encryptedNodeIsRefusedBecauseThisClientDoesNotEncrypt() {
        String body = "{\"" + NODE + "\":\"c2VjcmV0\",\"sign\":\"" + Rsa2.sign(Kat.alipayPrivateKey(), "\"c2VjcmV0\"") + "\"}";
        assertThat(check(body)).isInstanceOf(SignedReply.Refused.class);
    }

    @Test
    void replyForAnotherMethodIsRefusedAndErrorResponseIsAccepted() {
        String content = "{\"code\":\"40002\",\"msg\":\"Invalid Arguments\",\"sub_code\":\"isv.invalid-app-id\"}";

        assertThat(check(signed("alipay_trade_query_response", content))).isInstanceOf(SignedReply.Refused.class);
        assertThat(check(signed("error_response", content))).isInstanceOfSatisfying(SignedReply.Verified.class,
                v -> assertThat(v.node()).isEqualTo("error_response"));
    }

    @Test
    void slashRetryDoesNotRescueAnAlteredReply() {
        String body = Kat.text("escaped.body.json").replace("SUCCESS", "SUCCES5");
        assertThat(SignedReply.check(body, "alipay.fund.trans.uni.transfer", Kat.alipayPublicKey()))
                .isInstanceOf(SignedReply.Refused.class);
    }
}
