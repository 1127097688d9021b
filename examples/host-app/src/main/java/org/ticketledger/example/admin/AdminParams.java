package org.ticketledger.example.admin;

import io.javalin.http.Context;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.ticketledger.example.http.ApiException;
import org.ticketledger.example.http.FieldError;
import org.ticketledger.example.http.ProblemType;
import org.ticketledger.example.http.Routes;
import org.ticketledger.ticketing.Ticketing;

/**
 * Query parameters and periods as the admin routes read them: every malformed value is a 400
 * problem pointing at the parameter, never a 5xx. Stateless and thread-safe.
 */
final class AdminParams {

    private AdminParams() {
    }

    /** The admin's identity as ticketing records it ({@code admin:<token name>}). */
    static String actor(Context ctx) {
        return Routes.principal(ctx).id();
    }

    /** {@code ?limit=} in 1..500, default 100. */
    static int limit(Context ctx) {
        String v = ctx.queryParam("limit");
        if (v == null) {
            return 100;
        }
        try {
            int n = Integer.parseInt(v);
            if (n >= 1 && n <= 500) {
                return n;
            }
        } catch (NumberFormatException e) {
            // the problem below
        }
        throw bad("limit", "must be 1..500");
    }

    /** An enum query parameter by its exact constant name, if given. */
    static <E extends Enum<E>> Optional<E> optionalEnum(Context ctx, String name, Class<E> type) {
        String v = ctx.queryParam(name);
        if (v == null) {
            return Optional.empty();
        }
        for (E e : type.getEnumConstants()) {
            if (e.name().equals(v)) {
                return Optional.of(e);
            }
        }
        throw bad(name, "must be one of " + Arrays.toString(type.getEnumConstants()));
    }

    /** A query parameter of 1..{@code max} characters of {@code [A-Za-z0-9_.:-]}, if given. */
    static Optional<String> optionalId(Context ctx, String name, int max) {
        String v = ctx.queryParam(name);
        if (v == null) {
            return Optional.empty();
        }
        if (v.isEmpty() || v.length() > max || !v.matches("[A-Za-z0-9_.:-]+")) {
            throw bad(name, "must be 1-" + max + " characters of [A-Za-z0-9_.:-]");
        }
        return Optional.of(v);
    }

    static ApiException bad(String name, String detail) {
        return new ApiException(ProblemType.BAD_REQUEST, name + " " + detail, List.of(new FieldError("#/query/" + name, detail)));
    }

    /**
     * A reporting period: {@code from} and {@code to} both dates (whole days in the platform's time
     * zone, {@code to} included: from 00:00 of {@code from} to 00:00 of the day after {@code to}) or
     * both ISO-8601 instants ({@code from} excluded, {@code to} included; journal time).
     */
    record Period(Instant from, Instant to, Optional<LocalDate> firstDay, Optional<LocalDate> lastDay) {
    }

    /**
     * Reads a period from two raw values ({@code where} prefixes the pointers: {@code #/query/} or
     * {@code /}).
     *
     * @throws ApiException BAD_REQUEST (query) or VALIDATION_FAILED (body) for malformed or mixed values,
     *                      PLATFORM_NOT_ONBOARDED when dates need the platform's zone and there is none
     */
    static Period period(String from, String to, String where, boolean query, Ticketing ticketing) {
        ProblemType type = query ? ProblemType.BAD_REQUEST : ProblemType.VALIDATION_FAILED;
        String hint = "must be a date (2026-05-01) or an ISO-8601 instant (2026-05-01T00:00:00Z), like the other bound";
        Optional<LocalDate> d1 = date(from);
        Optional<LocalDate> d2 = date(to);
        if (d1.isPresent() && d2.isPresent()) {
            ZoneId zone = ticketing.parties().platform().orElseThrow(() ->
                    new ApiException(ProblemType.PLATFORM_NOT_ONBOARDED, "onboard the platform first")).timeZone();
            return ordered(new Period(d1.get().atStartOfDay(zone).toInstant(),
                    d2.get().plusDays(1).atStartOfDay(zone).toInstant(), d1, d2), where, type);
        }
        Optional<Instant> i1 = instant(from);
        Optional<Instant> i2 = instant(to);
        if (i1.isPresent() && i2.isPresent()) {
            return ordered(new Period(i1.get(), i2.get(), Optional.empty(), Optional.empty()), where, type);
        }
        List<FieldError> errors = new java.util.ArrayList<>();
        if (from == null || (d1.isEmpty() && i1.isEmpty()) || d2.isPresent()) {
            errors.add(new FieldError(where + "from", from == null ? "is required" : hint));
        }
        if (to == null || (d2.isEmpty() && i2.isEmpty()) || d1.isPresent()) {
            errors.add(new FieldError(where + "to", to == null ? "is required" : hint));
        }
        throw new ApiException(type, "give the period as two dates or two instants", errors);
    }

    private static Period ordered(Period p, String where, ProblemType type) {
        if (!p.to().isAfter(p.from())) {
            throw new ApiException(type, "the period must end after it starts",
                    List.of(new FieldError(where + "to", "must not be before from")));
        }
        return p;
    }

    private static Optional<LocalDate> date(String v) {
        if (v == null || v.length() != 10) {
            return Optional.empty();
        }
        try {
            return Optional.of(LocalDate.parse(v));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private static Optional<Instant> instant(String v) {
        if (v == null || v.length() > 40) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.parse(v));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
