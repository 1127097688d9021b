package org.ticketledger.cli.internal.journal;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where the journal database is and who connects to it. Accepts a JDBC URL
 * ({@code jdbc:postgresql://host:5432/db?user=...}) or a libpq URI
 * ({@code postgresql://user:secret@host:5432/db}). Credentials come from, in this order: the
 * command line, the URL, the {@code PGUSER}/{@code PGPASSWORD} environment variables.
 *
 * @param jdbcUrl  the JDBC URL without credentials embedded in the authority part
 * @param user     the user name, if any source gave one
 * @param password the password, if any source gave one; never printed
 */
public record DatabaseTarget(String jdbcUrl, Optional<String> user, Optional<String> password) {

    private static final Pattern LIBPQ = Pattern.compile("postgres(?:ql)?://(?:([^:@/]*)(?::([^@/]*))?@)?(.*)");

    public DatabaseTarget {
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
    }

    /**
     * Resolves the URL and credentials.
     *
     * @throws IllegalArgumentException if the URL is neither a PostgreSQL JDBC URL nor a libpq URI
     */
    public static DatabaseTarget of(String url, Optional<String> user, Optional<String> password, Map<String, String> env) {
        Objects.requireNonNull(url, "url");
        String jdbc;
        Optional<String> urlUser = Optional.empty();
        Optional<String> urlPassword = Optional.empty();
        Matcher m = LIBPQ.matcher(url);
        if (url.startsWith("jdbc:postgresql:")) {
            jdbc = url;
            urlUser = queryParameter(url, "user");
            urlPassword = queryParameter(url, "password");
        } else if (m.matches()) {
            jdbc = "jdbc:postgresql://" + m.group(3);
            urlUser = Optional.ofNullable(m.group(1)).filter(s -> !s.isEmpty()).map(DatabaseTarget::decode);
            urlPassword = Optional.ofNullable(m.group(2)).map(DatabaseTarget::decode);
            if (urlUser.isEmpty()) {
                urlUser = queryParameter(url, "user");
            }
            if (urlPassword.isEmpty()) {
                urlPassword = queryParameter(url, "password");
            }
        } else {
            throw new IllegalArgumentException("--db-url must be a PostgreSQL URL: jdbc:postgresql://host:port/db"
                    + " or postgresql://user@host:port/db");
        }
        Optional<String> fromUrlUser = urlUser;
        Optional<String> fromUrlPassword = urlPassword;
        Optional<String> u = user.or(() -> fromUrlUser).or(() -> Optional.ofNullable(env.get("PGUSER")));
        Optional<String> p = password.or(() -> fromUrlPassword).or(() -> Optional.ofNullable(env.get("PGPASSWORD")));
        return new DatabaseTarget(jdbc, u, p);
    }

    /** The URL with any password replaced by {@code ***}, fit for messages. */
    public String redactedUrl() {
        return redact(jdbcUrl);
    }

    /** {@code url} with any password replaced by {@code ***}. */
    public static String redact(String url) {
        return url.replaceAll("(?i)(password=)[^&]*", "$1***").replaceAll("(://[^:@/]*:)[^@/]*@", "$1***@");
    }

    @Override
    public String toString() {
        return "DatabaseTarget[" + redactedUrl() + ", user=" + user.orElse("(default)") + "]";
    }

    private static Optional<String> queryParameter(String url, String name) {
        int q = url.indexOf('?');
        if (q < 0) {
            return Optional.empty();
        }
        for (String pair : url.substring(q + 1).split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(0, eq).equals(name)) {
                return Optional.of(decode(pair.substring(eq + 1)));
            }
        }
        return Optional.empty();
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }
}
