package org.ticketledger.alipay.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.PublicKey;
import java.util.Objects;
import java.util.Optional;

/**
 * Verifies a gateway reply the way Alipay's SDK does, but stricter where that is safer for money:
 * the signed content is the exact raw substring of the response node, from its opening brace to
 * the matching closing brace (honouring strings and escapes); it is verified with RSA2, and once
 * more with {@code \/} replaced by {@code /} when that fails. The business fields are then read
 * from the verified substring only, never from the rest of the body.
 *
 * <p>Refused (empty result): a body that is not strict JSON (duplicate keys included), a node name
 * that appears more than once, a missing or non-text {@code sign}, an encrypted node, or a
 * signature that does not verify. Alipay may leave error replies unsigned; an unsigned reply is
 * refused too, because a forged decline would hide money that moved. Stateless and thread-safe.
 */
public final class SignedReply {

    /** Strict JSON: duplicate keys are an error, not "last one wins". */
    public static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    /** The node Alipay uses for errors of unknown methods and some gateway errors. */
    public static final String ERROR_NODE = "error_response";

    private SignedReply() {
    }

    /** The reply node name of {@code method}: dots replaced by underscores, plus {@code _response}. */
    public static String nodeName(String method) {
        return method.replace('.', '_') + "_response";
    }

    /** The outcome of checking a reply. */
    public sealed interface Check {
    }

    /** The reply verified; {@code fields} is the signed node. */
    public record Verified(String node, ObjectNode fields) implements Check {
        public Verified {
            Objects.requireNonNull(node, "node");
            Objects.requireNonNull(fields, "fields");
        }
    }

    /** The reply cannot be trusted; {@code reason} says why (it never quotes the body). */
    public record Refused(String reason) implements Check {
        public Refused {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /**
     * Checks {@code body}, the reply to {@code method}, against Alipay's public key. Looks for
     * the method's node and falls back to {@code error_response}.
     */
    public static Check check(String body, String method, PublicKey alipayKey) {
        Objects.requireNonNull(body, "body");
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            return new Refused("reply is not strict JSON");
        }
        if (root == null || !root.isObject()) {
            return new Refused("reply is not a JSON object");
        }
        String node = nodeName(method);
        if (!root.has(node)) {
            if (!root.has(ERROR_NODE)) {
                return new Refused("reply has no " + node);
            }
            node = ERROR_NODE;
        }
        JsonNode sign = root.get("sign");
        if (sign == null || !sign.isTextual() || sign.asText().isEmpty()) {
            return new Refused("reply is not signed");
        }
        Optional<String> content = signContent(body, node);
        if (content.isEmpty()) {
            return new Refused("reply node " + node + " is repeated, encrypted or malformed");
        }
        String signed = content.get();
        if (!Rsa2.verify(alipayKey, signed, sign.asText())
                && !(signed.contains("\\/") && Rsa2.verify(alipayKey, signed.replace("\\/", "/"), sign.asText()))) {
            return new Refused("reply signature does not verify");
        }
        try {
            JsonNode fields = JSON.readTree(signed);
            if (!(fields instanceof ObjectNode object)) {
                return new Refused("reply node is not an object");
            }
            return new Verified(node, object);
        } catch (JsonProcessingException e) {
            return new Refused("reply node is not strict JSON");
        }
    }

    /**
     * The exact raw text of the object value of {@code node} in {@code body}, or empty when the
     * quoted node name does not occur exactly once, is not followed by an object, or the object
     * is unterminated.
     */
    public static Optional<String> signContent(String body, String node) {
        String quoted = '"' + node + '"';
        int at = body.indexOf(quoted);
        if (at < 0 || body.indexOf(quoted, at + quoted.length()) >= 0) {
            return Optional.empty();
        }
        int i = skipBlanks(body, at + quoted.length());
        if (i >= body.length() || body.charAt(i) != ':') {
            return Optional.empty();
        }
        i = skipBlanks(body, i + 1);
        if (i >= body.length() || body.charAt(i) != '{') {
            // An encrypted node is a quoted string: this client does not use content encryption.
            return Optional.empty();
        }
        int start = i;
        int depth = 0;
        boolean inString = false;
        for (; i < body.length(); i++) {
            char c = body.charAt(i);
            if (inString) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == '"') {
                inString = true;
            } else if (c == '{') {
                depth++;
            } else if (c == '}') {
                depth--;
                if (depth == 0) {
                    return Optional.of(body.substring(start, i + 1));
                }
            }
        }
        return Optional.empty();
    }

    private static int skipBlanks(String s, int i) {
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        return i;
    }
}
