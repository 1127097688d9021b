package org.ticketledger.verify.internal;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Builds a JSON object in field order for {@link Json#write}. Not API. Not thread-safe. */
public final class JsonBuilder {

    private final Map<String, Object> fields = new LinkedHashMap<>();

    private JsonBuilder() {
    }

    public static JsonBuilder object() {
        return new JsonBuilder();
    }

    /** Adds a field; an empty Optional leaves the field out, Java null is refused. */
    public JsonBuilder put(String name, Object value) {
        if (value == null) {
            throw new JsonException("field " + name + " is Java null");
        }
        if (value instanceof Optional) {
            Optional<?> optional = (Optional<?>) value;
            if (optional.isPresent()) {
                put(name, optional.get());
            }
            return this;
        }
        if (value instanceof Instant) {
            return put(name, formatInstant((Instant) value));
        }
        if (value instanceof JsonBuilder) {
            return put(name, ((JsonBuilder) value).build());
        }
        fields.put(name, value);
        return this;
    }

    public Map<String, Object> build() {
        return fields;
    }

    public byte[] toBytes() {
        return Json.writeBytes(fields);
    }

    /** RFC 3339 in UTC, with milliseconds only when non-zero (ISO_INSTANT). */
    public static String formatInstant(Instant instant) {
        return DateTimeFormatter.ISO_INSTANT.format(instant);
    }
}
