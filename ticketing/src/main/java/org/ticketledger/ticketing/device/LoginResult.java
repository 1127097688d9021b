package org.ticketledger.ticketing.device;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/** What became of a login or refresh. */
public sealed interface LoginResult {

    /** A session with fresh tokens. */
    record LoggedIn(TokenGrant grant) implements LoginResult {
        public LoggedIn {
            Objects.requireNonNull(grant, "grant");
        }
    }

    /**
     * Refused; {@code retryAfter} is set for {@link DeviceError#TOO_MANY_ATTEMPTS}.
     */
    record Refused(DeviceError error, String detail, Optional<Duration> retryAfter) implements LoginResult {
        public Refused {
            Objects.requireNonNull(error, "error");
            Objects.requireNonNull(detail, "detail");
            Objects.requireNonNull(retryAfter, "retryAfter");
        }
    }
}
