package org.ticketledger.alipay.sandbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.ticketledger.alipay.internal.AlipayFormats;
import org.ticketledger.alipay.internal.FormCodec;
import org.ticketledger.alipay.internal.Rsa2;
import org.ticketledger.alipay.internal.SignedReply;
import org.ticketledger.alipay.sandbox.SandboxBank.Fields;
import org.ticketledger.alipay.sandbox.SandboxBank.Result;

/**
 * Serves {@code /gateway.do}: merges query and form parameters, checks them as Alipay's gateway
 * does (required system parameters, app id, RSA2 signature, timestamp window), applies the
 * method to the {@link SandboxBank}, and signs the exact bytes it sends. Injected faults are
 * applied here.
 */
final class GatewayHandler implements HttpHandler {

    private static final Logger LOG = LoggerFactory.getLogger(GatewayHandler.class);

    private final SandboxBank bank;
    private final String appId;
    private final PublicKey appPublicKey;
    private final PrivateKey alipayPrivateKey;
    private final Supplier<PrivateKey> forgerKey;
    private final Clock clock;
    private final Duration timestampTolerance;
    private final Duration faultDelay;
    private final NotifySender notifier;

    GatewayHandler(SandboxBank bank, String appId, PublicKey appPublicKey, PrivateKey alipayPrivateKey,
                   Supplier<PrivateKey> forgerKey, Clock clock, Duration timestampTolerance, Duration faultDelay,
                   NotifySender notifier) {
        this.bank = bank;
        this.appId = appId;
        this.appPublicKey = appPublicKey;
        this.alipayPrivateKey = alipayPrivateKey;
        this.forgerKey = forgerKey;
        this.clock = clock;
        this.timestampTolerance = timestampTolerance;
        this.faultDelay = faultDelay;
        this.notifier = notifier;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try {
            if (!"POST".equals(exchange.getRequestMethod()) && !"GET".equals(exchange.getRequestMethod())) {
                sendPlain(exchange, 405, "method not allowed");
                return;
            }
            byte[] body = exchange.getRequestBody().readAllBytes();
            Map<String, String> params;
            try {
                params = merge(exchange.getRequestURI().getRawQuery(), new String(body, StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                sendSigned(exchange, SignedReply.ERROR_NODE, invalid("isv.invalid-parameter", "参数无效"));
                return;
            }
            String method = params.getOrDefault("method", "");
            String node = SandboxBank.METHODS.contains(method) ? SignedReply.nodeName(method) : SignedReply.ERROR_NODE;
            Optional<Fields> refused = checkGateway(params, method);
            if (refused.isPresent()) {
                LOG.debug("sandbox gateway refused {}: {}", method, refused.get().get("sub_code"));
                sendSigned(exchange, node, refused.get());
                return;
            }
            JsonNode biz;
            try {
                String text = params.getOrDefault("biz_content", "{}");
                biz = SignedReply.JSON.readTree(text.isEmpty() ? "{}" : text);
                if (!biz.isObject()) {
                    throw new IllegalArgumentException("biz_content is not an object");
                }
            } catch (JsonProcessingException | IllegalArgumentException e) {
                sendSigned(exchange, node, invalid("isv.invalid-parameter", "biz_content无效"));
                return;
            }
            serve(exchange, method, node, (ObjectNode) biz, params);
        } catch (RuntimeException e) {
            LOG.error("sandbox gateway failed", e);
            throw e;
        } finally {
            // Without a reply sent, this closes the connection (the REPLY_LOST fault relies on that).
            exchange.close();
        }
    }

    private void serve(HttpExchange exchange, String method, String node, ObjectNode biz, Map<String, String> params)
            throws IOException {
        Optional<AlipayFault> fault = bank.takeFault(method);
        if (fault.isPresent() && !fault.get().applies()) {
            if (refuseWithoutApplying(exchange, fault.get(), method, node, biz)) {
                return;
            }
        }
        Result result = bank.execute(method, biz);
        LOG.debug("sandbox {} {}: {}", method, outNo(biz), result.fields().code());
        result.paid().ifPresent(trade -> Optional.ofNullable(params.get("notify_url"))
                .filter(u -> !u.isEmpty())
                .ifPresent(u -> notifier.schedule(URI.create(u), trade)));
        if (fault.isEmpty() || !fault.get().applies()) {
            sendSigned(exchange, node, result.fields());
            return;
        }
        LOG.debug("sandbox {} {}: fault {} after applying", method, outNo(biz), fault.get());
        switch (fault.get()) {
            case DELAY_PAST_TIMEOUT -> {
                try {
                    Thread.sleep(faultDelay.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                try {
                    sendSigned(exchange, node, result.fields());
                } catch (IOException e) {
                    // The client gave up long ago; that is the point of this fault.
                }
            }
            case SERVER_ERROR_AFTER_APPLY -> sendPlain(exchange, 504, "Gateway Time-out");
            case UNKNOWN_OUTCOME_AFTER_APPLY -> sendSigned(exchange, node, SandboxBank.business(
                    method.startsWith("alipay.trade.") ? "ACQ.SYSTEM_ERROR" : "SYSTEM_ERROR", "系统繁忙"));
            case REPLY_LOST -> {
                // Closing an exchange before its headers are sent closes the connection: no reply at all.
            }
            case TAMPERED_BODY -> {
                String content = json(result.fields());
                String sign = Rsa2.sign(alipayPrivateKey, content);
                Fields altered = new Fields();
                altered.putAll(result.fields());
                for (String amountField : new String[] {"total_amount", "trans_amount", "available_amount", "msg"}) {
                    if (altered.containsKey(amountField)) {
                        altered.put(amountField, amountField.equals("msg") ? "Success!" : "0.01");
                        break;
                    }
                }
                send(exchange, 200, envelope(node, json(altered), sign));
            }
            case MISSING_FIELDS -> {
                Fields stripped = new Fields();
                stripped.putAll(result.fields());
                for (String f : new String[] {"trade_no", "order_id", "gmt_payment", "trans_date", "send_pay_date",
                        "pay_date", "available_amount", "out_trade_no", "out_biz_no"}) {
                    stripped.remove(f);
                }
                sendSigned(exchange, node, stripped);
            }
            default -> throw new IllegalStateException("unhandled fault " + fault.get());
        }
    }

    /** Answers for a fault that does not apply the request; false when the fault means nothing for this method. */
    private boolean refuseWithoutApplying(HttpExchange exchange, AlipayFault fault, String method, String node,
                                          ObjectNode biz) throws IOException {
        LOG.debug("sandbox {} {}: fault {} without applying", method, outNo(biz), fault);
        switch (fault) {
            case INSUFFICIENT_BALANCE -> {
                if (method.equals(SandboxBank.TRADE_PAY)) {
                    sendSigned(exchange, node, SandboxBank.business("ACQ.BUYER_BALANCE_NOT_ENOUGH", "买家余额不足"));
                } else if (method.equals(SandboxBank.TRANSFER)) {
                    sendSigned(exchange, node, SandboxBank.business("PAYER_BALANCE_NOT_ENOUGH", "付款方余额不足"));
                } else {
                    return false;
                }
            }
            case SERVER_ERROR -> sendPlain(exchange, 502, "Bad Gateway");
            case UNKNOWN_OUTCOME -> sendSigned(exchange, node, new Fields().with("code", "20000")
                    .with("msg", "Service Currently Unavailable").with("sub_code", "isp.unknow-error")
                    .with("sub_msg", "系统繁忙"));
            case FORGED_SIGNATURE -> {
                String content = json(forgedSuccess(method, biz, false));
                send(exchange, 200, envelope(node, content, Rsa2.sign(forgerKey.get(), content)));
            }
            case REPEATED_NODE -> {
                String genuine = json(SandboxBank.business("ACQ.SYSTEM_ERROR", "系统繁忙"));
                String forged = json(forgedSuccess(method, biz, false));
                send(exchange, 200, "{\"" + node + "\":" + genuine + ",\"sign\":\""
                        + Rsa2.sign(alipayPrivateKey, genuine) + "\",\"" + node + "\":" + forged + "}");
            }
            case UNSIGNED -> send(exchange, 200, "{\"" + node + "\":" + json(forgedSuccess(method, biz, false)) + "}");
            case NOT_JSON -> {
                exchange.getResponseHeaders().set("Content-Type", "text/html;charset=utf-8");
                byte[] html = "<html><body>系统繁忙</body></html>".getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(200, html.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(html);
                }
            }
            case WRONG_ECHO -> sendSigned(exchange, node, forgedSuccess(method, biz, true));
            default -> throw new IllegalStateException("unhandled fault " + fault);
        }
        return true;
    }

    /** A success reply the sandbox never earned: for forged and replayed replies. */
    private Fields forgedSuccess(String method, ObjectNode biz, boolean otherRequest) {
        String suffix = otherRequest ? "0" : "";
        String now = AlipayFormats.time(clock.instant());
        String out = outNo(biz) + suffix;
        return switch (method) {
            case SandboxBank.TRADE_PAY -> SandboxBank.success().with("trade_no", "2099010122001999999999")
                    .with("out_trade_no", out).with("total_amount", text(biz, "total_amount", "0.01"))
                    .with("gmt_payment", now).with("buyer_user_id", "2088999999999999");
            case SandboxBank.TRADE_QUERY -> SandboxBank.success().with("trade_no", "2099010122001999999999")
                    .with("out_trade_no", out).with("trade_status", "TRADE_SUCCESS").with("total_amount", "0.01")
                    .with("send_pay_date", now);
            case SandboxBank.TRANSFER -> SandboxBank.success().with("out_biz_no", out)
                    .with("order_id", "20990101020099999999").with("pay_fund_order_id", "20990101010099999999")
                    .with("status", "SUCCESS").with("trans_date", now);
            case SandboxBank.TRANSFER_QUERY -> SandboxBank.success().with("order_id", "20990101020099999999")
                    .with("out_biz_no", out).with("trans_amount", "0.10").with("status", "SUCCESS")
                    .with("pay_date", now);
            default -> SandboxBank.success().with("available_amount", "99999999.99");
        };
    }

    private Optional<Fields> checkGateway(Map<String, String> p, String method) {
        String[][] required = {
            {"app_id", "isv.missing-app-id"}, {"method", "isv.missing-method"},
            {"sign_type", "isv.missing-signature-type"}, {"sign", "isv.missing-signature"},
            {"timestamp", "isv.missing-timestamp"}, {"version", "isv.missing-version"}};
        for (String[] r : required) {
            if (p.getOrDefault(r[0], "").isEmpty()) {
                return Optional.of(new Fields().with("code", "40001").with("msg", "Missing Required Arguments")
                        .with("sub_code", r[1]).with("sub_msg", "缺少" + r[0] + "参数"));
            }
        }
        if (!appId.equals(p.get("app_id"))) {
            return Optional.of(invalid("isv.invalid-app-id", "无效的AppID参数"));
        }
        if (!SandboxBank.METHODS.contains(method)) {
            return Optional.of(invalid("isv.invalid-method", "不存在的方法名"));
        }
        if (!p.getOrDefault("format", "json").equalsIgnoreCase("json")) {
            return Optional.of(invalid("isv.invalid-format", "无效的数据格式"));
        }
        if (!p.getOrDefault("charset", "utf-8").equalsIgnoreCase("utf-8")) {
            return Optional.of(invalid("isv.invalid-charset", "字符集错误"));
        }
        if (!Rsa2.SIGN_TYPE.equals(p.get("sign_type"))) {
            return Optional.of(invalid("isv.invalid-signature-type", "无效的签名类型"));
        }
        if (!"1.0".equals(p.get("version"))) {
            return Optional.of(invalid("isv.invalid-version", "无效的版本号"));
        }
        Optional<Instant> at = AlipayFormats.parseTime(p.get("timestamp"));
        if (at.isEmpty() || Duration.between(at.get(), clock.instant()).abs().compareTo(timestampTolerance) > 0) {
            return Optional.of(invalid("isv.invalid-timestamp", "非法的时间戳参数"));
        }
        String content = Rsa2.requestSignContent(p);
        if (!Rsa2.verify(appPublicKey, content, p.get("sign"))) {
            // Alipay quotes the string it verified; so does the sandbox (clients must not log it).
            return Optional.of(invalid("isv.invalid-signature",
                    "验签出错，建议检查签名字符串或签名私钥与应用公钥是否匹配，网关生成的验签字符串为：" + content));
        }
        return Optional.empty();
    }

    private static Fields invalid(String subCode, String subMsg) {
        return new Fields().with("code", "40002").with("msg", "Invalid Arguments")
                .with("sub_code", subCode).with("sub_msg", subMsg);
    }

    /** Query and form parameters together; the same key in both must carry the same value. */
    static Map<String, String> merge(String rawQuery, String form) {
        Map<String, String> merged = new LinkedHashMap<>(FormCodec.decode(rawQuery));
        FormCodec.decode(form).forEach((k, v) -> {
            String before = merged.putIfAbsent(k, v);
            if (before != null && !before.equals(v)) {
                throw new IllegalArgumentException("parameter " + k + " differs between query and body");
            }
        });
        return merged;
    }

    private void sendSigned(HttpExchange exchange, String node, Fields fields) throws IOException {
        String content = json(fields);
        send(exchange, 200, envelope(node, content, Rsa2.sign(alipayPrivateKey, content)));
    }

    private static String envelope(String node, String content, String sign) {
        return "{\"" + node + "\":" + content + ",\"sign\":\"" + sign + "\"}";
    }

    private static void send(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json;charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static void sendPlain(HttpExchange exchange, int status, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain;charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static String json(Fields fields) {
        try {
            return SignedReply.JSON.writeValueAsString(fields);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a reply", e);
        }
    }

    private static String outNo(JsonNode biz) {
        return text(biz, "out_trade_no", text(biz, "out_biz_no", text(biz, "trade_no", "")));
    }

    private static String text(JsonNode biz, String field, String fallback) {
        JsonNode v = biz.get(field);
        return v == null || !v.isValueNode() || v.asText().isEmpty() ? fallback : v.asText();
    }
}
