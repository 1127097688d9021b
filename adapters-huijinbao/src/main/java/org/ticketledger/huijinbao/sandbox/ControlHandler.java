package org.ticketledger.huijinbao.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.ticketledger.huijinbao.internal.Wire;
import org.ticketledger.ledger.Money;
import org.ticketledger.payment.PlanId;

/**
 * The sandbox's HTTP control API (PROTOCOL.md, "Sandbox control API"): plain JSON, unsigned,
 * optionally guarded by a token; a thin layer over the {@link HuijinbaoSandbox} Java API.
 */
final class ControlHandler implements HttpHandler {

    private static final Pattern ACCOUNT = Pattern.compile("/control/accounts/([^/]+)/(deposit|freeze|unfreeze)");
    private static final Pattern PLAN = Pattern.compile("/control/plans/([^/]+)/(close|reopen|rate)");

    private final HuijinbaoSandbox sandbox;
    private final Optional<String> token;

    ControlHandler(HuijinbaoSandbox sandbox, Optional<String> token) {
        this.sandbox = sandbox;
        this.token = token;
    }

    /** A refusal of a control request. */
    private static final class Refused extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final int status;

        Refused(int status, String message) {
            super(message, null, false, false);
            this.status = status;
        }
    }

    @Override
    public void handle(HttpExchange ex) throws IOException {
        try {
            ObjectNode reply;
            int status = 200;
            try {
                checkToken(ex);
                reply = dispatch(ex.getRequestMethod(), ex.getRequestURI().getRawPath(), body(ex));
            } catch (Refused r) {
                status = r.status;
                reply = error(r.getMessage());
            } catch (IllegalArgumentException | ArithmeticException e) {
                status = 400;
                reply = error(e.getMessage());
            }
            byte[] bytes = Wire.JSON.writeValueAsBytes(reply);
            ex.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
            ex.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(bytes);
            }
        } finally {
            ex.close();
        }
    }

    private ObjectNode dispatch(String method, String path, JsonNode body) {
        boolean post = "POST".equals(method);
        if ("GET".equals(method) && "/control/state".equals(path)) {
            return sandbox.bank().state();
        }
        if (post && "/control/accounts".equals(path)) {
            String no = required(body, "account_no");
            sandbox.openAccount(no, amount(body, "balance"));
            return sandbox.bank().state();
        }
        if (post && "/control/plans".equals(path)) {
            sandbox.openPlan(PlanId.of(required(body, "plan_id")), rate(body));
            return sandbox.bank().state();
        }
        if (post && "/control/clock/advance".equals(path)) {
            long days = body.path("days").asLong(0);
            long seconds = body.path("seconds").asLong(0);
            if (days < 0 || seconds < 0 || days + seconds == 0) {
                throw new Refused(400, "give positive \"days\" and/or \"seconds\"");
            }
            sandbox.advance(Duration.ofDays(days).plusSeconds(seconds));
            return sandbox.bank().state();
        }
        if ("/control/faults".equals(path)) {
            if ("DELETE".equals(method)) {
                sandbox.clearFaults();
            } else if (post) {
                armFault(body);
            } else {
                throw new Refused(405, "use POST or DELETE");
            }
            ObjectNode n = Wire.JSON.createObjectNode();
            n.put("pending_faults", sandbox.pendingFaults());
            return n;
        }
        Matcher m;
        if (post && (m = ACCOUNT.matcher(path)).matches()) {
            String no = m.group(1);
            if (!sandbox.hasAccount(no)) {
                throw new Refused(404, "no account " + no);
            }
            switch (m.group(2)) {
                case "deposit" -> sandbox.deposit(no, amount(body, "amount"));
                case "freeze" -> sandbox.freeze(no);
                default -> sandbox.unfreeze(no);
            }
            return sandbox.bank().state();
        }
        if (post && (m = PLAN.matcher(path)).matches()) {
            PlanId plan = PlanId.of(m.group(1));
            switch (m.group(2)) {
                case "close" -> sandbox.closePlan(plan);
                case "reopen" -> sandbox.reopenPlan(plan);
                default -> sandbox.setRate(plan, rate(body));
            }
            return sandbox.bank().state();
        }
        throw new Refused(404, "no control resource " + method + " " + path);
    }

    private void armFault(JsonNode body) {
        Fault.Kind kind;
        try {
            kind = Fault.Kind.valueOf(required(body, "kind"));
        } catch (IllegalArgumentException e) {
            throw new Refused(400, "unknown fault kind; use one of " + List.of(Fault.Kind.values()));
        }
        Duration delay = Duration.ofMillis(body.path("delay_ms").asLong(0));
        List<SandboxOperation> ops = new ArrayList<>();
        for (JsonNode op : body.path("operations")) {
            ops.add(SandboxOperation.valueOf(op.asText()));
        }
        sandbox.injectFault(new Fault(kind, delay), ops.toArray(SandboxOperation[]::new));
    }

    private void checkToken(HttpExchange ex) {
        if (token.isEmpty()) {
            return;
        }
        String given = ex.getRequestHeaders().getFirst("X-HJB-Control-Token");
        if (given == null || !MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8),
                token.get().getBytes(StandardCharsets.UTF_8))) {
            throw new Refused(401, "control token missing or wrong");
        }
    }

    private static JsonNode body(HttpExchange ex) throws IOException {
        byte[] bytes = ex.getRequestBody().readNBytes(64 * 1024);
        if (bytes.length == 0) {
            return Wire.JSON.createObjectNode();
        }
        try {
            JsonNode n = Wire.JSON.readTree(bytes);
            if (n == null || !n.isObject()) {
                throw new Refused(400, "body must be a JSON object");
            }
            return n;
        } catch (IOException e) {
            throw new Refused(400, "body is not JSON");
        }
    }

    private static String required(JsonNode body, String field) {
        JsonNode n = body.get(field);
        if (n == null || !n.isTextual()) {
            throw new Refused(400, "\"" + field + "\" (a string) is required");
        }
        return n.asText();
    }

    private static Money amount(JsonNode body, String field) {
        return Wire.parseYuan(required(body, field))
                .orElseThrow(() -> new Refused(400, "\"" + field + "\" must be yuan with two decimals, e.g. \"100.00\""));
    }

    private static int rate(JsonNode body) {
        JsonNode n = body.get("annual_rate_bp");
        if (n == null || !n.isInt()) {
            throw new Refused(400, "\"annual_rate_bp\" (an integer) is required");
        }
        return n.asInt();
    }

    private static ObjectNode error(String message) {
        ObjectNode n = Wire.JSON.createObjectNode();
        n.put("code", "CONTROL_REFUSED");
        n.put("message", message == null ? "refused" : message);
        return n;
    }
}
