package org.ticketledger.example.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Small builders for the JSON schemas in the OpenAPI document, so that route declarations stay
 * short: {@code Schemas.object().prop("name", Schemas.string(), true)}.
 */
public final class Schemas {

    private Schemas() {
    }

    /** A {@code "type": "string"} schema. */
    public static ObjectNode string() {
        return Json.object().put("type", "string");
    }

    /** A string schema with a description. */
    public static ObjectNode string(String description) {
        return string().put("description", description);
    }

    /** A money amount: a decimal string with two decimals, never a JSON number. */
    public static ObjectNode amount(String description) {
        return string().put("pattern", "^-?[0-9]+(\\.[0-9]{1,2})?$").put("example", "101.00")
                .put("description", description + " (decimal string, CNY)");
    }

    /** A 64-bit integer schema. */
    public static ObjectNode integer(String description) {
        return Json.object().put("type", "integer").put("format", "int64").put("description", description);
    }

    /** A boolean schema. */
    public static ObjectNode bool(String description) {
        return Json.object().put("type", "boolean").put("description", description);
    }

    /** An array of {@code items}. */
    public static ObjectNode array(ObjectNode items) {
        ObjectNode n = Json.object().put("type", "array");
        n.set("items", items);
        return n;
    }

    /** A reference to a component schema, e.g. {@code ref("Problem")}. */
    public static ObjectNode ref(String component) {
        return Json.object().put("$ref", "#/components/schemas/" + component);
    }

    /** Starts an object schema that refuses unknown properties. */
    public static ObjectSchema object() {
        return new ObjectSchema();
    }

    /** A fluent object schema. */
    public static final class ObjectSchema {
        private final ObjectNode node = Json.object().put("type", "object");
        private final ObjectNode properties = node.putObject("properties");
        private final ArrayNode required = Json.MAPPER.createArrayNode();

        private ObjectSchema() {
            node.put("additionalProperties", false);
        }

        /** Adds a property; {@code mandatory} ones go into {@code required}. */
        public ObjectSchema prop(String name, ObjectNode schema, boolean mandatory) {
            properties.set(name, schema);
            if (mandatory) {
                required.add(name);
            }
            return this;
        }

        /** Lets the object carry properties not listed (for open maps). */
        public ObjectSchema open() {
            node.put("additionalProperties", true);
            return this;
        }

        /** The finished schema. */
        public ObjectNode build() {
            ObjectNode copy = node.deepCopy();
            if (!required.isEmpty()) {
                copy.set("required", required.deepCopy());
            }
            return copy;
        }
    }
}
