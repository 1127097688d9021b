package org.ticketledger.example.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.ticketledger.example.http.Principal;

/**
 * The configured admin bearer tokens, each with a name (for logs) and a role. Tokens are held only
 * as SHA-256 digests, so a heap dump does not hand them out and look-up time does not depend on how
 * much of a guess matches. Immutable and thread-safe.
 */
public final class AdminTokens {

    /** Token names as they appear in logs. */
    public static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_-]{0,31}");
    /** The shortest token accepted: guessing must stay impractical. */
    public static final int MIN_LENGTH = 24;

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Map<String, Principal.Admin> byDigest;

    private AdminTokens(Map<String, Principal.Admin> byDigest) {
        this.byDigest = Map.copyOf(byDigest);
    }

    /** One configured token. {@link #toString()} hides the secret. */
    public record Token(String name, String secret, Principal.AdminRole role) {
        public Token {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(secret, "secret");
            Objects.requireNonNull(role, "role");
            if (!NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("admin token name must match " + NAME.pattern() + ": " + name);
            }
            if (secret.length() < MIN_LENGTH || !secret.chars().allMatch(c -> c > 32 && c < 127)) {
                throw new IllegalArgumentException("admin token \"" + name + "\" must be at least " + MIN_LENGTH
                        + " printable ASCII characters without blanks");
            }
        }

        @Override
        public String toString() {
            return "Token[name=" + name + ", role=" + role + ", secret=***]";
        }
    }

    /** The tokens given; names must be distinct. */
    public static AdminTokens of(List<Token> tokens) {
        Map<String, Principal.Admin> m = new HashMap<>();
        java.util.Set<String> names = new java.util.HashSet<>();
        for (Token t : tokens) {
            if (!names.add(t.name())) {
                throw new IllegalArgumentException("duplicate admin token name: " + t.name());
            }
            if (m.put(digest(t.secret()), new Principal.Admin(t.name(), t.role())) != null) {
                throw new IllegalArgumentException("the same admin token is configured twice");
            }
        }
        return new AdminTokens(m);
    }

    /** The admin whose token is {@code bearer}, if any. */
    public Optional<Principal.Admin> find(String bearer) {
        return Optional.ofNullable(byDigest.get(digest(bearer)));
    }

    /** How many tokens are configured. */
    public int size() {
        return byDigest.size();
    }

    /** A new random token ({@code tla_} + 40 base62 characters). */
    public static String generate() {
        String alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
        StringBuilder b = new StringBuilder("tla_");
        for (int i = 0; i < 40; i++) {
            b.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
        }
        return b.toString();
    }

    private static String digest(String token) {
        try {
            return java.util.HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }
}
