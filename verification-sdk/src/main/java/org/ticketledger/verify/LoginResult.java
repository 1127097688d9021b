package org.ticketledger.verify;

import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of {@link VerifierClient#login} and {@link VerifierClient#refresh}: {@link LoggedIn}
 * or {@link Refused} (wrong credentials, revoked device or operator, expired refresh token).
 * Network failures are thrown, not returned. Closed hierarchy. Immutable.
 */
public abstract class LoginResult {

    LoginResult() {
    }

    /** The session, when logged in. */
    public abstract Optional<DeviceSession> session();

    /** Logged in; the session is bound to the device's scenic spot. */
    public static final class LoggedIn extends LoginResult {
        private final DeviceSession session;

        /** Creates the result. */
        public LoggedIn(DeviceSession session) {
            this.session = Objects.requireNonNull(session, "session");
        }

        @Override
        public Optional<DeviceSession> session() {
            return Optional.of(session);
        }

        @Override
        public String toString() {
            return "LoggedIn[" + session + "]";
        }
    }

    /** The server refused; {@link #problemCode()} is its stable code (see DEVICE-API.md). */
    public static final class Refused extends LoginResult {
        private final String problemCode;
        private final String detail;

        /** Creates the result. */
        public Refused(String problemCode, String detail) {
            this.problemCode = Objects.requireNonNull(problemCode, "problemCode");
            this.detail = Objects.requireNonNull(detail, "detail");
        }

        /** The stable problem code, e.g. {@code invalid-credentials} or {@code device-revoked}. */
        public String problemCode() {
            return problemCode;
        }

        /** The server's human-readable detail. */
        public String detail() {
            return detail;
        }

        @Override
        public Optional<DeviceSession> session() {
            return Optional.empty();
        }

        @Override
        public String toString() {
            return "Refused[" + problemCode + ": " + detail + "]";
        }
    }
}
