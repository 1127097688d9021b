package org.ticketledger.verify.internal;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Typed, checked access to a parsed JSON object: every accessor names the field in its error, so a
 * server that breaks the contract gets a precise complaint. Unknown fields are ignored (the
 * protocol grows by adding fields). Not API. Immutable.
 */
public final class JsonObject {

    private final Map<String, Object> fields;
    private final String path;

    private JsonObject(Map<String, Object> fields, String path) {
        this.fields = fields;
        this.path = path;
    }

    /** Wraps a parsed value that must be an object. */
    @SuppressWarnings("unchecked")
    public static JsonObject of(Object value, String path) {
        if (!(value instanceof Map)) {
            throw new JsonException(path + ": expected a JSON object");
        }
        return new JsonObject((Map<String, Object>) value, path);
    }

    public boolean has(String name) {
        Object v = fields.get(name);
        return v != null && v != Json.NULL;
    }

    private Object required(String name) {
        Object v = fields.get(name);
        if (v == null || v == Json.NULL) {
            throw new JsonException(path + "." + name + ": missing");
        }
        return v;
    }

    private JsonException wrongType(String name, String expected) {
        return new JsonException(path + "." + name + ": expected " + expected);
    }

    public String string(String name) {
        Object v = required(name);
        if (!(v instanceof String)) {
            throw wrongType(name, "a string");
        }
        return (String) v;
    }

    public Optional<String> optString(String name) {
        return has(name) ? Optional.of(string(name)) : Optional.empty();
    }

    public long longValue(String name) {
        Object v = required(name);
        if (v instanceof Long) {
            return (Long) v;
        }
        if (v instanceof BigDecimal) {
            try {
                return ((BigDecimal) v).longValueExact();
            } catch (ArithmeticException e) {
                throw wrongType(name, "a 64-bit integer");
            }
        }
        throw wrongType(name, "an integer");
    }

    public long longValue(String name, long min, long max) {
        long v = longValue(name);
        if (v < min || v > max) {
            throw new JsonException(path + "." + name + ": " + v + " is outside " + min + ".." + max);
        }
        return v;
    }

    public Optional<Long> optLong(String name) {
        return has(name) ? Optional.of(longValue(name)) : Optional.empty();
    }

    public boolean bool(String name) {
        Object v = required(name);
        if (!(v instanceof Boolean)) {
            throw wrongType(name, "true or false");
        }
        return (Boolean) v;
    }

    public boolean bool(String name, boolean absent) {
        return has(name) ? bool(name) : absent;
    }

    /** A decimal id carried as a JSON string ("123"), within min..max. */
    public long id(String name, long min, long max) {
        String s = string(name);
        if (s.isEmpty() || s.length() > 19 || (s.length() > 1 && s.charAt(0) == '0')) {
            throw wrongType(name, "a decimal id string");
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                throw wrongType(name, "a decimal id string");
            }
        }
        long v;
        try {
            v = Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw wrongType(name, "a decimal id string");
        }
        if (v < min || v > max) {
            throw new JsonException(path + "." + name + ": " + v + " is outside " + min + ".." + max);
        }
        return v;
    }

    /** An RFC 3339 date-time with offset ("2026-05-01T08:00:00Z"). */
    public Instant instant(String name) {
        String s = string(name);
        try {
            return OffsetDateTime.parse(s, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            throw wrongType(name, "an RFC 3339 date-time");
        }
    }

    public Optional<Instant> optInstant(String name) {
        return has(name) ? Optional.of(instant(name)) : Optional.empty();
    }

    public JsonObject object(String name) {
        return of(required(name), path + "." + name);
    }

    public Optional<JsonObject> optObject(String name) {
        return has(name) ? Optional.of(object(name)) : Optional.empty();
    }

    public List<Object> array(String name) {
        Object v = required(name);
        if (!(v instanceof List)) {
            throw wrongType(name, "an array");
        }
        @SuppressWarnings("unchecked")
        List<Object> list = (List<Object>) v;
        return list;
    }

    /** An array of objects; absent means empty. */
    public List<JsonObject> objects(String name) {
        if (!has(name)) {
            return Collections.emptyList();
        }
        List<Object> raw = array(name);
        List<JsonObject> out = new ArrayList<>(raw.size());
        for (int i = 0; i < raw.size(); i++) {
            out.add(of(raw.get(i), path + "." + name + "[" + i + "]"));
        }
        return Collections.unmodifiableList(out);
    }

    @Override
    public String toString() {
        return Json.write(fields);
    }
}
