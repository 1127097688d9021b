package org.ticketledger.verify;

import java.util.Objects;
import java.util.Optional;

/**
 * What a gate operator types to log in: a username with either a password or a PIN (a PIN only
 * works on a device provisioned for the operator's spot). {@link #toString} never shows the
 * secret. Immutable and thread-safe.
 */
public final class OperatorCredentials {

    private final String username;
    private final String password;
    private final String pin;

    private OperatorCredentials(String username, String password, String pin) {
        this.username = Objects.requireNonNull(username, "username");
        if (username.trim().isEmpty()) {
            throw new IllegalArgumentException("username must not be blank");
        }
        this.password = password;
        this.pin = pin;
    }

    /** Username and password. */
    public static OperatorCredentials password(String username, String password) {
        if (Objects.requireNonNull(password, "password").isEmpty()) {
            throw new IllegalArgumentException("password must not be empty");
        }
        return new OperatorCredentials(username, password, null);
    }

    /** Username and device PIN (4..12 digits). */
    public static OperatorCredentials pin(String username, String pin) {
        Objects.requireNonNull(pin, "pin");
        if (pin.length() < 4 || pin.length() > 12 || !pin.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("a PIN is 4..12 digits");
        }
        return new OperatorCredentials(username, null, pin);
    }

    /** The username. */
    public String username() {
        return username;
    }

    /** The password, when this is a password login. */
    public Optional<String> password() {
        return Optional.ofNullable(password);
    }

    /** The PIN, when this is a PIN login. */
    public Optional<String> pin() {
        return Optional.ofNullable(pin);
    }

    @Override
    public String toString() {
        return "OperatorCredentials[" + username + ", " + (pin != null ? "pin" : "password") + "=***]";
    }
}
