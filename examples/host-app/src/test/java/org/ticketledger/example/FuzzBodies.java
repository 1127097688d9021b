package org.ticketledger.example;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.ticketledger.example.http.Json;

/**
 * Request bodies from a route's JSON schema: mostly well-formed objects whose fields take valid,
 * boundary and wrong values (by the field's name and type), some with a field dropped, retyped or
 * added, and some bodies that are not what the schema says at all (not JSON, wrong top-level type,
 * huge, deeply nested, duplicate keys). Deterministic for a seed, so a failing case replays.
 */
final class FuzzBodies {

    private static final String[] AMOUNTS = {"100.00", "0.00", "0.01", "1.00", "-1.00", "1.001", "1e2", "100", "１００.00",
            "99999999999999999.99", "92233720368547758.07", "92233720368547758.08", "", " 1.00", "NaN", "0x10"};
    private static final long[] INTEGERS = {0, 1, 2, 3, -1, 100, 101, 200, 201, 366, 367, 10000, 10001, Integer.MAX_VALUE,
            (long) Integer.MAX_VALUE + 1, Long.MAX_VALUE, Long.MIN_VALUE};
    private static final String[] STRINGS = {"", " ", "x", "票", "Ünïcödé ✓", "\u0000", "a\nb", "'; DROP TABLE orders;--",
            "<script>alert(1)</script>", "../../etc/passwd", "%00", "\uD83D\uDE00", "null"};

    private final Map<String, String> known;

    /** {@code known}: valid values by field name (product id, visit date, ...). */
    FuzzBodies(Map<String, String> known) {
        this.known = Map.copyOf(known);
    }

    /** A body for {@code schema} (null: the route takes none) from {@code seed}; null means "send no body". */
    String body(JsonNode schema, long seed) {
        Random r = new Random(seed);
        int shape = r.nextInt(20);
        if (schema == null) {
            return shape < 16 ? null : garbage(r);
        }
        if (shape < 14) {
            return Json.write(object(schema, r, 0, shape < 6));
        }
        return switch (shape) {
            case 14 -> null;
            case 15 -> garbage(r);
            case 16 -> "[" + Json.write(object(schema, r, 0, true)) + "]";
            case 17 -> duplicateKey(Json.write(object(schema, r, 0, true)));
            case 18 -> deep(r.nextInt(2000) + 10);
            default -> Json.write(object(schema, r, 0, true)).replaceFirst("}$", "");
        };
    }

    private static String garbage(Random r) {
        return switch (r.nextInt(7)) {
            case 0 -> "not json";
            case 1 -> "{";
            case 2 -> "null";
            case 3 -> "42";
            case 4 -> "\"a string\"";
            case 5 -> "{\"a\":" + "9".repeat(400) + "}";
            default -> "{\"big\":\"" + "x".repeat(200_000 + r.nextInt(900_000)) + "\"}";
        };
    }

    private static String duplicateKey(String json) {
        int colon = json.indexOf(':');
        if (colon < 0 || !json.startsWith("{\"")) {
            return json;
        }
        String firstKey = json.substring(1, colon);
        return "{" + firstKey + ":1," + json.substring(1);
    }

    private static String deep(int depth) {
        return "{\"a\":".repeat(depth) + "1" + "}".repeat(depth);
    }

    private ObjectNode object(JsonNode schema, Random r, int depth, boolean clean) {
        ObjectNode o = Json.object();
        JsonNode props = schema.path("properties");
        List<String> required = new ArrayList<>();
        schema.path("required").forEach(n -> required.add(n.asText()));
        for (Iterator<Map.Entry<String, JsonNode>> it = props.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> p = it.next();
            boolean mandatory = required.contains(p.getKey());
            if (!mandatory && r.nextInt(3) == 0) {
                continue;
            }
            if (!clean && r.nextInt(8) == 0) {
                continue; // a required field goes missing
            }
            o.set(p.getKey(), value(p.getKey(), p.getValue(), r, depth, clean));
        }
        if (!clean && r.nextInt(6) == 0) {
            o.put("unexpected" + r.nextInt(3), STRINGS[r.nextInt(STRINGS.length)]);
        }
        return o;
    }

    private JsonNode value(String name, JsonNode schema, Random r, int depth, boolean clean) {
        if (!clean && r.nextInt(7) == 0) {
            return wrongType(schema, r);
        }
        String type = schema.path("type").asText("object");
        boolean amount = schema.has("pattern");
        if (known.containsKey(name) && r.nextInt(clean ? 5 : 2) != 0) {
            return Json.MAPPER.getNodeFactory().textNode(known.get(name));
        }
        return switch (type) {
            case "string" -> Json.MAPPER.getNodeFactory().textNode(amount ? AMOUNTS[r.nextInt(clean ? 4 : AMOUNTS.length)]
                    : clean ? "fz" + Long.toString(r.nextLong() & 0xffffffL, 36) : string(r));
            case "integer" -> Json.MAPPER.getNodeFactory().numberNode(clean ? 1 + r.nextInt(3) : INTEGERS[r.nextInt(INTEGERS.length)]);
            case "boolean" -> Json.MAPPER.getNodeFactory().booleanNode(r.nextBoolean());
            case "array" -> {
                ArrayNode a = Json.MAPPER.createArrayNode();
                int n = depth > 2 ? 0 : r.nextInt(clean ? 3 : 12);
                for (int i = 0; i < n; i++) {
                    a.add(value(name, schema.path("items"), r, depth + 1, clean));
                }
                yield a;
            }
            default -> depth > 3 ? Json.object() : object(schema, r, depth + 1, clean);
        };
    }

    private static JsonNode wrongType(JsonNode schema, Random r) {
        var f = Json.MAPPER.getNodeFactory();
        return switch (r.nextInt(6)) {
            case 0 -> f.nullNode();
            case 1 -> f.numberNode(new java.math.BigDecimal("1e400"));
            case 2 -> f.numberNode(12.5);
            case 3 -> f.textNode(schema.path("type").asText().equals("string") ? "x".repeat(5000) : "7");
            case 4 -> Json.MAPPER.createArrayNode().add(1);
            default -> Json.object().put("nested", true);
        };
    }

    private static String string(Random r) {
        if (r.nextInt(4) == 0) {
            return STRINGS[r.nextInt(STRINGS.length)];
        }
        int len = r.nextInt(10) == 0 ? 300 + r.nextInt(3000) : 1 + r.nextInt(40);
        StringBuilder sb = new StringBuilder(len);
        for (int i = 0; i < len; i++) {
            sb.append((char) (r.nextInt(10) == 0 ? 0x4e00 + r.nextInt(200) : 'a' + r.nextInt(26)));
        }
        return sb.toString();
    }
}
