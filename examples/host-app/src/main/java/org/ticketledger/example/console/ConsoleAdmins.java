package org.ticketledger.example.console;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Jdbi;
import org.ticketledger.example.http.Principal;

/**
 * The console's administrators ({@code host.console_admins}): a username, a role (operators act,
 * auditors only read) and a salted PBKDF2-HMAC-SHA256 hash of the password — the password itself
 * is never stored or logged. Thread-safe; nothing returns null.
 */
public final class ConsoleAdmins {

    /** Usernames: lower-case letters, digits, '.', '_' and '-', starting with a letter. */
    public static final Pattern USERNAME = Pattern.compile("[a-z][a-z0-9._-]{1,31}");
    /** The shortest password accepted. */
    public static final int MIN_PASSWORD = 12;

    private final Jdbi jdbi;
    private final Clock clock;
    private final int iterations;
    // Hashed against when the username is unknown, so that a miss costs as much as a wrong password.
    private final byte[] decoySalt = Passwords.salt();
    private final byte[] decoyHash;

    private ConsoleAdmins(Jdbi jdbi, Clock clock, int iterations) {
        this.jdbi = jdbi;
        this.clock = clock;
        this.iterations = iterations;
        this.decoyHash = Passwords.hash("decoy-" + Passwords.token(16), decoySalt, iterations);
    }

    /** Admins stored through {@code jdbi}; new hashes use {@code iterations} rounds. */
    public static ConsoleAdmins of(Jdbi jdbi, Clock clock, int iterations) {
        if (iterations < ConsoleSettings.MIN_ITERATIONS) {
            throw new IllegalArgumentException("iterations must be at least " + ConsoleSettings.MIN_ITERATIONS);
        }
        return new ConsoleAdmins(Objects.requireNonNull(jdbi, "jdbi"), Objects.requireNonNull(clock, "clock"), iterations);
    }

    /** An administrator as listed (no secret). */
    public record Admin(String username, Principal.AdminRole role, Instant createdAt, String createdBy, Optional<Instant> disabledAt) {
        public Admin {
            Objects.requireNonNull(username, "username");
            Objects.requireNonNull(role, "role");
            Objects.requireNonNull(createdAt, "createdAt");
            Objects.requireNonNull(createdBy, "createdBy");
            Objects.requireNonNull(disabledAt, "disabledAt");
        }

        /** Whether the admin may log in. */
        public boolean active() {
            return disabledAt.isEmpty();
        }
    }

    /** What {@link #create} did. */
    public sealed interface CreateResult {
        /** Created. */
        record Created(Admin admin) implements CreateResult {
        }

        /** Refused, with a message key of the console's bundle ({@code admins.refused.*}). */
        record Refused(String reasonKey) implements CreateResult {
        }
    }

    /** Creates an administrator. */
    public CreateResult create(String username, String password, Principal.AdminRole role, String actor) {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(actor, "actor");
        if (username == null || !USERNAME.matcher(username).matches()) {
            return new CreateResult.Refused("admins.refused.username");
        }
        if (password == null || password.length() < MIN_PASSWORD || password.length() > 200) {
            return new CreateResult.Refused("admins.refused.password");
        }
        byte[] salt = Passwords.salt();
        byte[] hash = Passwords.hash(password, salt, iterations);
        Instant now = clock.instant();
        int n = jdbi.withHandle(h -> h.createUpdate("""
                        INSERT INTO host.console_admins (username, role, salt, hash, iterations, created_at, created_by)
                        VALUES (:u, :r, :s, :h, :i, :at, :by) ON CONFLICT (username) DO NOTHING""")
                .bind("u", username).bind("r", role.name()).bind("s", salt).bind("h", hash).bind("i", iterations)
                .bind("at", OffsetDateTime.ofInstant(now, ZoneOffset.UTC)).bind("by", actor).execute());
        if (n == 0) {
            return new CreateResult.Refused("admins.refused.taken");
        }
        return new CreateResult.Created(new Admin(username, role, now, actor, Optional.empty()));
    }

    /** The active admin with this username and password, if both are right. */
    public Optional<Admin> authenticate(String username, String password) {
        if (username == null || password == null || password.length() > 200) {
            return Optional.empty();
        }
        record Stored(Admin admin, byte[] salt, byte[] hash, int iterations) {
        }
        Optional<Stored> stored = jdbi.withHandle(h -> h.createQuery(
                        "SELECT username, role, salt, hash, iterations, created_at, created_by, disabled_at "
                                + "FROM host.console_admins WHERE username = :u")
                .bind("u", username)
                .map((rs, c) -> new Stored(admin(rs), rs.getBytes("salt"), rs.getBytes("hash"), rs.getInt("iterations")))
                .findOne());
        if (stored.isEmpty()) {
            Passwords.matches(password, decoySalt, iterations, decoyHash);
            return Optional.empty();
        }
        Stored s = stored.get();
        boolean ok = Passwords.matches(password, s.salt(), s.iterations(), s.hash());
        return ok && s.admin().active() ? Optional.of(s.admin()) : Optional.empty();
    }

    /** The admin, if there is one by that name. */
    public Optional<Admin> admin(String username) {
        return jdbi.withHandle(h -> h.createQuery("SELECT username, role, created_at, created_by, disabled_at "
                        + "FROM host.console_admins WHERE username = :u")
                .bind("u", username).map((rs, c) -> admin(rs)).findOne());
    }

    /** Every admin, by username. */
    public List<Admin> list() {
        return jdbi.withHandle(h -> h.createQuery("SELECT username, role, created_at, created_by, disabled_at "
                + "FROM host.console_admins ORDER BY username").map((rs, c) -> admin(rs)).list());
    }

    /** How many admins exist (disabled ones included). */
    public int count() {
        return jdbi.withHandle(h -> h.createQuery("SELECT count(*) FROM host.console_admins").mapTo(Integer.class).one());
    }

    /** Disables an admin: no more logins, and its sessions end. Returns whether it was active. */
    public boolean disable(String username) {
        return jdbi.inTransaction(h -> {
            int n = h.createUpdate("UPDATE host.console_admins SET disabled_at = :at WHERE username = :u AND disabled_at IS NULL")
                    .bind("at", OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC)).bind("u", username).execute();
            h.createUpdate("DELETE FROM host.console_sessions WHERE username = :u").bind("u", username).execute();
            return n == 1;
        });
    }

    /**
     * Creates the first operator, {@code admin}, with a generated password when there is no admin
     * at all; returns the password (the only time it is seen), or empty when admins exist.
     */
    public Optional<String> seedFirstAdmin() {
        if (count() > 0) {
            return Optional.empty();
        }
        String password = Passwords.generate();
        return create("admin", password, Principal.AdminRole.OPERATOR, "seed") instanceof CreateResult.Created
                ? Optional.of(password) : Optional.empty();
    }

    private static Admin admin(java.sql.ResultSet rs) throws java.sql.SQLException {
        OffsetDateTime disabled = rs.getObject("disabled_at", OffsetDateTime.class);
        return new Admin(rs.getString("username"), Principal.AdminRole.valueOf(rs.getString("role")),
                rs.getObject("created_at", OffsetDateTime.class).toInstant(), rs.getString("created_by"),
                Optional.ofNullable(disabled).map(OffsetDateTime::toInstant));
    }
}
