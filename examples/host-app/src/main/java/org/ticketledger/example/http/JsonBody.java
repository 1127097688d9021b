package org.ticketledger.example.http;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Currency;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.ticketledger.ledger.Money;

/**
 * A strict reader for one JSON object in a request body. Handlers pull the fields they know, then
 * call {@link #done()}: every missing, mistyped, out-of-range or unknown field is reported at once as
 * one {@link ProblemType#VALIDATION_FAILED} problem with a JSON pointer per field. Until
 * {@code done()} returns, the values handed out may be placeholders and must not be used.
 *
 * <p>Money is read only from decimal strings ({@code "101.00"}): a JSON number is refused, because a
 * binary float would already have lost the exact value in some client.
 *
 * <p>Not thread-safe; one instance per request.
 */
public final class JsonBody {

    private final ObjectNode node;
    private final String pointer;
    private final List<FieldError> errors;
    private final Set<String> seen = new LinkedHashSet<>();
    private final List<JsonBody> children = new ArrayList<>();

    private JsonBody(ObjectNode node, String pointer, List<FieldError> errors) {
        this.node = node;
        this.pointer = pointer;
        this.errors = errors;
    }

    /**
     * Parses {@code body} (which must be a JSON object).
     *
     * @throws ApiException {@link ProblemType#MALFORMED_JSON} if the bytes are not one well-formed JSON
     *     value, {@link ProblemType#VALIDATION_FAILED} if the value is not an object
     */
    public static JsonBody parse(byte[] body) {
        if (body.length == 0) {
            throw new ApiException(ProblemType.MALFORMED_JSON, "the request body is empty; a JSON object is required");
        }
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(body);
        } catch (StreamConstraintsException e) {
            throw new ApiException(ProblemType.MALFORMED_JSON, "the JSON body exceeds a limit: " + e.getOriginalMessage());
        } catch (JacksonException e) {
            throw new ApiException(ProblemType.MALFORMED_JSON, "the body is not well-formed JSON" + where(e.getLocation())
                    + ": " + e.getOriginalMessage());
        } catch (java.io.IOException e) {
            throw new ApiException(ProblemType.MALFORMED_JSON, "the body could not be read as JSON");
        }
        if (root == null || !root.isObject()) {
            throw new ApiException(ProblemType.VALIDATION_FAILED, "the body must be a JSON object",
                    List.of(new FieldError("", "must be an object")));
        }
        return new JsonBody((ObjectNode) root, "", new ArrayList<>());
    }

    private static String where(JsonLocation location) {
        if (location == null || location.getLineNr() < 0) {
            return "";
        }
        return " at line " + location.getLineNr() + ", column " + location.getColumnNr();
    }

    /** A required string of 1..{@code maxLength} characters. */
    public String requiredString(String field, int maxLength) {
        return optionalString(field, maxLength).orElseGet(() -> {
            if (!node.has(field) || node.get(field).isNull()) {
                missing(field);
            }
            return "";
        });
    }

    /** An optional string; present values must have 1..{@code maxLength} characters. */
    public Optional<String> optionalString(String field, int maxLength) {
        JsonNode v = take(field);
        if (v == null) {
            return Optional.empty();
        }
        if (!v.isTextual()) {
            error(field, "must be a string");
            return Optional.empty();
        }
        String s = v.textValue();
        if (s.isEmpty() || s.length() > maxLength) {
            error(field, "must have 1 to " + maxLength + " characters");
            return Optional.empty();
        }
        if (s.indexOf('\u0000') >= 0) {
            // PostgreSQL text cannot hold NUL; no legitimate value carries one.
            error(field, "must not contain NUL characters");
            return Optional.empty();
        }
        return Optional.of(s);
    }

    /** A required integer in {@code [min, max]}. */
    public long requiredLong(String field, long min, long max) {
        JsonNode v = take(field);
        if (v == null) {
            missing(field);
            return min;
        }
        return checkLong(field, v, min, max).orElse(min);
    }

    /** An optional integer in {@code [min, max]}. */
    public Optional<Long> optionalLong(String field, long min, long max) {
        JsonNode v = take(field);
        return v == null ? Optional.empty() : checkLong(field, v, min, max);
    }

    private Optional<Long> checkLong(String field, JsonNode v, long min, long max) {
        if (!v.isIntegralNumber()) {
            error(field, "must be an integer");
            return Optional.empty();
        }
        BigInteger b = v.bigIntegerValue();
        if (b.compareTo(BigInteger.valueOf(min)) < 0 || b.compareTo(BigInteger.valueOf(max)) > 0) {
            error(field, "must be between " + min + " and " + max);
            return Optional.empty();
        }
        return Optional.of(b.longValueExact());
    }

    /** A required boolean. */
    public boolean requiredBoolean(String field) {
        JsonNode v = take(field);
        if (v == null) {
            missing(field);
            return false;
        }
        if (!v.isBoolean()) {
            error(field, "must be true or false");
            return false;
        }
        return v.booleanValue();
    }

    /** A required positive amount as a decimal string, e.g. {@code "101.00"}. */
    public Money requiredAmount(String field, Currency currency) {
        JsonNode v = take(field);
        if (v == null) {
            missing(field);
            return Money.zero(currency);
        }
        return amount(field, v, currency).orElse(Money.zero(currency));
    }

    /** An optional positive amount as a decimal string. */
    public Optional<Money> optionalAmount(String field, Currency currency) {
        JsonNode v = take(field);
        return v == null ? Optional.empty() : amount(field, v, currency);
    }

    private Optional<Money> amount(String field, JsonNode v, Currency currency) {
        if (!v.isTextual()) {
            error(field, "must be a decimal string such as \"101.00\"");
            return Optional.empty();
        }
        try {
            Money m = Money.parse(v.textValue(), currency);
            if (!m.isPositive()) {
                error(field, "must be greater than zero");
                return Optional.empty();
            }
            return Optional.of(m);
        } catch (IllegalArgumentException e) {
            error(field, e.getMessage());
            return Optional.empty();
        }
    }

    /** A required ISO-8601 date ({@code 2026-05-01}). */
    public LocalDate requiredDate(String field) {
        JsonNode v = take(field);
        if (v == null) {
            missing(field);
            return LocalDate.EPOCH;
        }
        if (!v.isTextual()) {
            error(field, "must be a date string such as \"2026-05-01\"");
            return LocalDate.EPOCH;
        }
        try {
            return LocalDate.parse(v.textValue());
        } catch (DateTimeParseException e) {
            error(field, "must be a date such as \"2026-05-01\"");
            return LocalDate.EPOCH;
        }
    }

    /** A required constant of {@code type}, by its exact name. */
    public <E extends Enum<E>> E requiredEnum(String field, Class<E> type) {
        JsonNode v = take(field);
        E[] values = type.getEnumConstants();
        if (v == null) {
            missing(field);
            return values[0];
        }
        if (v.isTextual()) {
            for (E e : values) {
                if (e.name().equals(v.textValue())) {
                    return e;
                }
            }
        }
        error(field, "must be one of " + java.util.Arrays.toString(values));
        return values[0];
    }

    /** An optional nested object. */
    public Optional<JsonBody> optionalObject(String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            seen.add(field);
            return Optional.empty();
        }
        return Optional.of(requiredObject(field));
    }

    /** Whether the body has a non-null value for {@code field}. */
    public boolean has(String field) {
        JsonNode v = node.get(field);
        return v != null && !v.isNull();
    }

    /** A required nested object; its fields are checked by the same {@link #done()}. */
    public JsonBody requiredObject(String field) {
        JsonNode v = take(field);
        if (v == null) {
            missing(field);
        } else if (!v.isObject()) {
            error(field, "must be an object");
        } else {
            return child((ObjectNode) v, pointer + "/" + escape(field));
        }
        return child(Json.object(), pointer + "/" + escape(field));
    }

    /** A required array of objects, each read by {@code each} (between {@code min} and {@code max} items). */
    public void requiredObjects(String field, int min, int max, Consumer<JsonBody> each) {
        JsonNode v = take(field);
        if (v == null) {
            missing(field);
            return;
        }
        if (!v.isArray()) {
            error(field, "must be an array");
            return;
        }
        if (v.size() < min || v.size() > max) {
            error(field, "must have " + min + " to " + max + " items");
            return;
        }
        int i = 0;
        for (Iterator<JsonNode> it = v.elements(); it.hasNext(); i++) {
            JsonNode item = it.next();
            String p = pointer + "/" + escape(field) + "/" + i;
            if (!item.isObject()) {
                errors.add(new FieldError(p, "must be an object"));
                continue;
            }
            each.accept(child((ObjectNode) item, p));
        }
    }

    /** A required array of {@code min}..{@code max} strings of 1..{@code maxLength} characters each. */
    public List<String> requiredStrings(String field, int min, int max, int maxLength) {
        JsonNode v = take(field);
        if (v == null) {
            missing(field);
            return List.of();
        }
        if (!v.isArray()) {
            error(field, "must be an array of strings");
            return List.of();
        }
        if (v.size() < min || v.size() > max) {
            error(field, "must have " + min + " to " + max + " items");
            return List.of();
        }
        List<String> out = new ArrayList<>();
        int i = 0;
        for (Iterator<JsonNode> it = v.elements(); it.hasNext(); i++) {
            JsonNode item = it.next();
            if (!item.isTextual() || item.textValue().isEmpty() || item.textValue().length() > maxLength) {
                errors.add(new FieldError(pointer + "/" + escape(field) + "/" + i, "must be a string of 1 to " + maxLength
                        + " characters"));
            } else {
                out.add(item.textValue());
            }
        }
        return out;
    }

    /** Records a field error found by the caller's own checks (cross-field rules, patterns). */
    public void error(String field, String detail) {
        errors.add(new FieldError(pointer + "/" + escape(field), detail));
    }

    /**
     * Ends reading: unknown fields and all collected errors become one 422 problem.
     *
     * @throws ApiException {@link ProblemType#VALIDATION_FAILED} if anything was wrong
     */
    public void done() {
        collectUnknown();
        if (!errors.isEmpty()) {
            throw new ApiException(ProblemType.VALIDATION_FAILED,
                    errors.size() == 1 ? "one field is invalid" : errors.size() + " fields are invalid", errors);
        }
    }

    private void collectUnknown() {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!seen.contains(name)) {
                error(name, "unknown field");
            }
        }
        for (JsonBody c : children) {
            c.collectUnknown();
        }
    }

    private JsonBody child(ObjectNode n, String p) {
        JsonBody c = new JsonBody(n, p, errors);
        children.add(c);
        return c;
    }

    /** The field's value, or null when absent or JSON null (both mean "not given"). */
    private JsonNode take(String field) {
        seen.add(field);
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v;
    }

    private void missing(String field) {
        error(field, "is required");
    }

    /** RFC 6901 escaping for a pointer segment. */
    private static String escape(String segment) {
        return segment.replace("~", "~0").replace("/", "~1");
    }
}
