package org.ticketledger.alipay.sandbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.ticketledger.alipay.AlipayKeys;
import org.ticketledger.alipay.internal.AlipayFormats;
import org.ticketledger.alipay.internal.SignedReply;
import org.ticketledger.ledger.Money;

/**
 * The sandbox's HTTP control API (JSON), for tests and demos in other processes:
 * <pre>
 * GET    /sandbox/info                          gateway, app id, platform user id, public keys
 * GET    /sandbox/accounts                      every account with its balance
 * POST   /sandbox/accounts                      {"logon_id","name","balance"?,"agreement"?:true} → account (+agreement_no)
 * GET    /sandbox/accounts/{userId}             one account
 * POST   /sandbox/accounts/{userId}/fund        {"amount":"10.00"}  adds
 * POST   /sandbox/accounts/{userId}/balance     {"amount":"10.00"}  sets
 * POST   /sandbox/agreements                    {"user_id"} → {"agreement_no"}
 * DELETE /sandbox/agreements/{agreementNo}      revokes
 * POST   /sandbox/faults                        {"method","fault","times"?}
 * DELETE /sandbox/faults                        clears
 * GET    /sandbox/transactions                  movements, oldest first
 * GET    /sandbox/notifies                      notify deliveries
 * </pre>
 * Amounts are yuan strings. Errors are 400/404 with {@code {"error": "..."}}.
 */
final class ControlHandler implements HttpHandler {

    private final AlipaySandbox sandbox;

    ControlHandler(AlipaySandbox sandbox) {
        this.sandbox = sandbox;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try {
            String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
            String path = exchange.getRequestURI().getPath().replaceAll("/+$", "");
            String[] parts = path.substring("/sandbox".length()).split("/");
            JsonNode body = readBody(exchange);
            String route = method + " " + (parts.length > 1 ? parts[1] : "");
            JsonNode answer = switch (route) {
                case "GET info" -> info();
                case "GET accounts" -> parts.length == 2 ? accounts() : account(parts[2]);
                case "POST accounts" -> parts.length == 2 ? openAccount(body) : changeBalance(parts, body);
                case "POST agreements" -> agreement(body);
                case "DELETE agreements" -> {
                    sandbox.revokeAgreement(part(parts, 2));
                    yield ok();
                }
                case "POST faults" -> {
                    sandbox.injectFault(required(body, "method"),
                            AlipayFault.valueOf(required(body, "fault").toUpperCase(Locale.ROOT)),
                            body.path("times").asInt(1));
                    yield ok();
                }
                case "DELETE faults" -> {
                    sandbox.clearFaults();
                    yield ok();
                }
                case "GET transactions" -> transactions();
                case "GET notifies" -> SignedReply.JSON.valueToTree(sandbox.notifyDeliveries());
                default -> null;
            };
            if (answer == null) {
                send(exchange, 404, error("no route " + method + " " + path));
            } else {
                send(exchange, 200, answer);
            }
        } catch (IllegalArgumentException e) {
            send(exchange, 400, error(e.getMessage()));
        } finally {
            exchange.close();
        }
    }

    private JsonNode info() {
        ObjectNode n = SignedReply.JSON.createObjectNode();
        n.put("gateway", sandbox.gatewayUri().toString());
        n.put("app_id", sandbox.appId());
        n.put("platform_user_id", sandbox.platformUserId());
        n.put("alipay_public_key", AlipayKeys.toBase64(sandbox.alipayPublicKey()));
        n.put("app_public_key", AlipayKeys.toBase64(sandbox.appPublicKey()));
        return n;
    }

    private JsonNode accounts() {
        ArrayNode list = SignedReply.JSON.createArrayNode();
        sandbox.accounts().forEach(a -> list.add(accountJson(a)));
        return list;
    }

    private JsonNode account(String userId) {
        return accountJson(sandbox.account(userId).orElseThrow(() -> new IllegalArgumentException("no account " + userId)));
    }

    private ObjectNode accountJson(SandboxAccount a) {
        ObjectNode n = SignedReply.JSON.createObjectNode();
        n.put("user_id", a.userId());
        n.put("logon_id", a.logonId());
        n.put("name", a.name());
        n.put("balance", AlipayFormats.yuan(sandbox.balance(a.userId())));
        return n;
    }

    private JsonNode openAccount(JsonNode body) {
        Money balance = body.hasNonNull("balance") ? amount(body.get("balance").asText()) : Money.cny(0);
        SandboxAccount a = sandbox.openAccount(required(body, "logon_id"), required(body, "name"), balance);
        ObjectNode n = accountJson(a);
        if (body.path("agreement").asBoolean(false)) {
            n.put("agreement_no", sandbox.signAgreement(a.userId()));
        }
        return n;
    }

    private JsonNode changeBalance(String[] parts, JsonNode body) {
        String userId = part(parts, 2);
        Money amount = amount(required(body, "amount"));
        switch (part(parts, 3)) {
            case "fund" -> sandbox.fund(userId, amount);
            case "balance" -> sandbox.setBalance(userId, amount);
            default -> throw new IllegalArgumentException("use /fund or /balance");
        }
        return account(userId);
    }

    private JsonNode agreement(JsonNode body) {
        String userId = required(body, "user_id");
        ObjectNode n = SignedReply.JSON.createObjectNode();
        n.put("user_id", userId);
        n.put("agreement_no", sandbox.signAgreement(userId));
        return n;
    }

    private JsonNode transactions() {
        ArrayNode list = SignedReply.JSON.createArrayNode();
        for (SandboxTransaction t : sandbox.transactions()) {
            ObjectNode n = list.addObject();
            n.put("kind", t.kind().name());
            n.put("rail_txn_id", t.railTxnId());
            n.put("out_no", t.outNo());
            n.put("payer", t.payer());
            n.put("payee", t.payee());
            n.put("amount", AlipayFormats.yuan(t.amount()));
            n.put("at", AlipayFormats.time(t.at()));
        }
        return list;
    }

    private static Money amount(String yuan) {
        return AlipayFormats.parseYuan(yuan).orElseThrow(() -> new IllegalArgumentException("amount must be a yuan string like 10.00"));
    }

    private static String required(JsonNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null || !v.isValueNode() || v.asText().isEmpty()) {
            throw new IllegalArgumentException(field + " is required");
        }
        return v.asText();
    }

    private static String part(String[] parts, int i) {
        if (parts.length <= i) {
            throw new IllegalArgumentException("path is too short");
        }
        return parts[i];
    }

    private static JsonNode readBody(HttpExchange exchange) throws IOException {
        byte[] bytes = exchange.getRequestBody().readAllBytes();
        if (bytes.length == 0) {
            return SignedReply.JSON.createObjectNode();
        }
        try {
            JsonNode n = SignedReply.JSON.readTree(bytes);
            if (n == null || !n.isObject()) {
                throw new IllegalArgumentException("body must be a JSON object");
            }
            return n;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("body is not JSON");
        }
    }

    private static JsonNode ok() {
        return SignedReply.JSON.createObjectNode().put("ok", true);
    }

    private static JsonNode error(String message) {
        return SignedReply.JSON.createObjectNode().put("error", message == null ? "bad request" : message);
    }

    private static void send(HttpExchange exchange, int status, JsonNode json) throws IOException {
        byte[] bytes = SignedReply.JSON.writeValueAsBytes(json);
        exchange.getResponseHeaders().set("Content-Type", "application/json;charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
