package org.ticketledger.alipay;

import java.security.PublicKey;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.ticketledger.alipay.internal.AlipayFormats;
import org.ticketledger.alipay.internal.FormCodec;
import org.ticketledger.alipay.internal.Rsa2;
import org.ticketledger.ledger.Money;

/**
 * Verifies Alipay's asynchronous notifies (e.g. {@code trade_status_sync}) with the semantics of
 * the SDK's {@code rsaCheckV1}: the form values are decoded once; {@code sign} and
 * {@code sign_type} are removed; empty values are dropped; the rest is sorted and joined as
 * {@code k=v&...} and verified with RSA2 against Alipay's public key. A notify must also name our
 * app id. Only after that may a host act on it, and it must then reply with exactly
 * {@link #SUCCESS_REPLY} (anything else makes Alipay retry for about 25 hours).
 *
 * <p>A notify is a hint, not a settlement: hosts should confirm it with
 * {@link AlipayRail#query} before posting to the ledger (the rail's answer is what counts).
 * Immutable and thread-safe; methods never return null.
 */
public final class AlipayNotifications {

    /** The exact body of the reply to a notify that was received and verified. */
    public static final String SUCCESS_REPLY = "success";

    private final PublicKey alipayPublicKey;
    private final String appId;

    private AlipayNotifications(PublicKey alipayPublicKey, String appId) {
        this.alipayPublicKey = alipayPublicKey;
        this.appId = appId;
    }

    /** A verifier for notifies to {@code appId} signed with {@code alipayPublicKey}. */
    public static AlipayNotifications of(PublicKey alipayPublicKey, String appId) {
        Objects.requireNonNull(alipayPublicKey, "alipayPublicKey");
        Objects.requireNonNull(appId, "appId");
        return new AlipayNotifications(alipayPublicKey, appId);
    }

    /** The exact body to answer a verified notify with: {@code success}, 7 characters, nothing else. */
    public static String successReply() {
        return SUCCESS_REPLY;
    }

    /** The verdict on one notify. */
    public sealed interface Verdict {
    }

    /** The notify is authentic. */
    public record Verified(Notify message) implements Verdict {
        public Verified {
            Objects.requireNonNull(message, "message");
        }
    }

    /** The notify must be ignored (and not answered with {@code success}); {@code reason} never quotes values. */
    public record Rejected(String reason) implements Verdict {
        public Rejected {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /**
     * An authentic notify's parameters.
     *
     * @param params every parameter as received (decoded), sign included
     */
    public record Notify(Map<String, String> params) {
        public Notify {
            Objects.requireNonNull(params, "params");
            params = params.entrySet().stream()
                    .filter(e -> e.getKey() != null && e.getValue() != null)
                    .collect(java.util.stream.Collectors.toUnmodifiableMap(Map.Entry::getKey, Map.Entry::getValue));
        }

        /** A parameter, or empty when absent or empty. */
        public Optional<String> param(String name) {
            return Optional.ofNullable(params.get(name)).filter(v -> !v.isEmpty());
        }

        /** {@code notify_type}, e.g. {@code trade_status_sync}. */
        public Optional<String> type() {
            return param("notify_type");
        }

        /** {@code notify_id}, the same across Alipay's retries of one notify (per third-party sources). */
        public Optional<String> id() {
            return param("notify_id");
        }

        /** {@code out_trade_no}: our request id of the collection. */
        public Optional<String> outTradeNo() {
            return param("out_trade_no");
        }

        /** {@code trade_no}: Alipay's trade id. */
        public Optional<String> tradeNo() {
            return param("trade_no");
        }

        /** {@code trade_status}, e.g. {@code TRADE_SUCCESS}. */
        public Optional<String> tradeStatus() {
            return param("trade_status");
        }

        /** {@code total_amount}, when present and well-formed. */
        public Optional<Money> totalAmount() {
            return param("total_amount").flatMap(AlipayFormats::parseYuan);
        }

        @Override
        public String toString() {
            return "Notify[" + type().orElse("?") + " " + outTradeNo().orElse("?") + " " + tradeStatus().orElse("?") + "]";
        }
    }

    /** Verifies a notify given as its raw {@code application/x-www-form-urlencoded} body. */
    public Verdict verifyForm(String body) {
        Objects.requireNonNull(body, "body");
        Map<String, String> params;
        try {
            params = FormCodec.decode(body);
        } catch (IllegalArgumentException e) {
            return new Rejected("malformed form body");
        }
        return verify(params);
    }

    /** Verifies a notify given as decoded parameters (each value decoded exactly once). */
    public Verdict verify(Map<String, String> params) {
        Objects.requireNonNull(params, "params");
        String sign = params.get("sign");
        if (sign == null || sign.isEmpty()) {
            return new Rejected("notify is not signed");
        }
        String signType = params.get("sign_type");
        if (signType != null && !signType.isEmpty() && !Rsa2.SIGN_TYPE.equals(signType)) {
            return new Rejected("notify sign_type is not RSA2");
        }
        String content = Rsa2.signContent(new TreeMap<>(params), Set.of("sign", "sign_type"));
        if (!Rsa2.verify(alipayPublicKey, content, sign)) {
            return new Rejected("notify signature does not verify");
        }
        if (!appId.equals(params.get("app_id"))) {
            return new Rejected("notify is for another app");
        }
        return new Verified(new Notify(params));
    }
}
