package org.ticketledger.example.console.view;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.ticketledger.ledger.Money;

/**
 * What every console page template gets besides its own data: the labels, who is logged in, the
 * CSRF token for its forms, where the page is in the navigation, messages to show, and the time
 * zone to show times in. Immutable.
 *
 * @param t       the labels in the session's language
 * @param title   the page title (already a label)
 * @param active  the navigation item to highlight
 * @param user    the logged-in admin; empty on the login page
 * @param canAct  whether the admin may change things (operators) or only read (auditors)
 * @param csrf    the token every form must send back
 * @param zone    the platform's time zone
 * @param flashes messages about what just happened
 */
public record Page(Messages t, String title, String active, Optional<String> user, boolean canAct, String csrf, ZoneId zone,
                   List<Flash> flashes) {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    public Page {
        Objects.requireNonNull(t, "t");
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(active, "active");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(csrf, "csrf");
        Objects.requireNonNull(zone, "zone");
        flashes = List.copyOf(flashes);
    }

    /** A message about what just happened. */
    public record Flash(boolean ok, String text) {
        public Flash {
            Objects.requireNonNull(text, "text");
        }
    }

    /** The label for {@code key}. */
    public String t(String key, Object... args) {
        return t.t(key, args);
    }

    /** The page's language tag. */
    public String lang() {
        return t.lang();
    }

    /** The language the switch offers. */
    public String otherLang() {
        return t.lang().equals("zh") ? "en" : "zh";
    }

    /** {@code instant} in the platform's zone, to the second. */
    public String time(Instant instant) {
        return TIME.format(instant.atZone(zone));
    }

    /** An optional instant, or a dash. */
    public String time(Optional<Instant> instant) {
        return instant.map(this::time).orElse("—");
    }

    /** Money as a decimal string with its currency, e.g. {@code 1000.00 CNY}. */
    public String money(Money m) {
        return m.toDecimalString() + " " + m.currency().getCurrencyCode();
    }

    /** Money as a bare decimal string, e.g. {@code 1000.00}, for tables. */
    public String amount(Money m) {
        return m.toDecimalString();
    }

    /** An optional text, or a dash. */
    public String opt(Optional<?> value) {
        return value.map(Object::toString).orElse("—");
    }

    /** A path segment made safe for a URL. */
    public String url(String segment) {
        return java.net.URLEncoder.encode(segment, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
    }
}
