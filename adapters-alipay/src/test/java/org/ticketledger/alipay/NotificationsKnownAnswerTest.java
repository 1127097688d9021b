package org.ticketledger.alipay;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.ticketledger.alipay.AlipayNotifications.Rejected;
import org.ticketledger.alipay.AlipayNotifications.Verified;
import org.ticketledger.alipay.internal.FormCodec;
import org.ticketledger.alipay.internal.Rsa2;
import org.ticketledger.ledger.Money;

/** rsaCheckV1 semantics against a notify signed with OpenSSL. */
class NotificationsKnownAnswerTest {

    private final AlipayNotifications notifications = AlipayNotifications.of(Kat.alipayPublicKey(), "2021000000000001");

    @Test
    void verifiesTheOpensslSignedNotifyFromItsFormBody() {
        String form = FormCodec.encode(KnownNotify.params());
        assertThat(form).contains("notify_time=2026-11-26+10%3A00%3A02").contains("subject=%E9%97%A8%E7%A5%A8+Ticket");

        assertThat(notifications.verifyForm(form)).isInstanceOfSatisfying(Verified.class, v -> {
            assertThat(v.message().type()).contains("trade_status_sync");
            assertThat(v.message().outTradeNo()).contains("ORD-20261126-0001");
            assertThat(v.message().tradeNo()).contains("2026112622001400000000000001");
            assertThat(v.message().tradeStatus()).contains("TRADE_SUCCESS");
            assertThat(v.message().totalAmount()).contains(Money.parseCny("101.00"));
            assertThat(v.message().param("subject")).contains("门票 Ticket");
        });
    }

    @Test
    void emptyValuesAreIgnoredButAnyOtherChangeBreaksTheSignature() {
        Map<String, String> withEmpty = new LinkedHashMap<>(KnownNotify.params());
        withEmpty.put("passback_params", "");
        assertThat(notifications.verify(withEmpty)).isInstanceOf(Verified.class);

        Map<String, String> amount = new LinkedHashMap<>(KnownNotify.params());
        amount.put("total_amount", "1010.00");
        assertThat(notifications.verify(amount)).isInstanceOf(Rejected.class);

        Map<String, String> extra = new LinkedHashMap<>(KnownNotify.params());
        extra.put("refund_fee", "0.00");
        assertThat(notifications.verify(extra)).isInstanceOf(Rejected.class);
    }

    @Test
    void signTypeIsNotSignedButMustBeRsa2WhenPresent() {
        Map<String, String> without = new LinkedHashMap<>(KnownNotify.params());
        without.remove("sign_type");
        assertThat(notifications.verify(without)).isInstanceOf(Verified.class);

        Map<String, String> rsa = new LinkedHashMap<>(KnownNotify.params());
        rsa.put("sign_type", "RSA");
        assertThat(notifications.verify(rsa)).isInstanceOf(Rejected.class);
    }

    @Test
    void unsignedOrMalformedNotifiesAreRejected() {
        Map<String, String> unsigned = new LinkedHashMap<>(KnownNotify.params());
        unsigned.remove("sign");
        assertThat(notifications.verify(unsigned)).isInstanceOf(Rejected.class);
        assertThat(notifications.verifyForm("a=%zz")).isInstanceOf(Rejected.class);
        assertThat(notifications.verifyForm("")).isInstanceOf(Rejected.class);
    }

    @Test
    void valuesAreDecodedExactlyOnce() {
        Map<String, String> p = new LinkedHashMap<>(KnownNotify.params());
        p.put("body", "100%25 off+%2B");
        p.remove("sign");
        p.put("sign", Rsa2.sign(Kat.alipayPrivateKey(), Rsa2.signContent(p, Set.of("sign", "sign_type"))));

        // Encoded once on the wire; decoding twice would turn %25 into % and + into a blank.
        assertThat(notifications.verifyForm(FormCodec.encode(p))).isInstanceOfSatisfying(Verified.class,
                v -> assertThat(v.message().param("body")).contains("100%25 off+%2B"));
    }

    @Test
    void notifyForAnotherAppIsRejectedEvenWhenAlipaySignedIt() {
        Map<String, String> p = new LinkedHashMap<>(KnownNotify.params());
        p.put("app_id", "2021000000000999");
        p.put("sign", Rsa2.sign(Kat.alipayPrivateKey(), Rsa2.signContent(p, Set.of("sign", "sign_type"))));

        assertThat(notifications.verify(p)).isInstanceOfSatisfying(Rejected.class,
                r -> assertThat(r.reason()).contains("another app"));
    }

    @Test
    void successReplyIsExactlySevenCharacters() {
        assertThat(AlipayNotifications.successReply()).isEqualTo("success").hasSize(7);
    }
}
