package org.ticketledger.ticketing.device;

import java.util.Objects;

/** What an access token is worth. */
public sealed interface AuthResult {

    /** A live session. */
    record Authenticated(DeviceSession session) implements AuthResult {
        public Authenticated {
            Objects.requireNonNull(session, "session");
        }
    }

    /** Not accepted: 401 (refresh and retry) or 403 (the session is over). */
    record Refused(DeviceError error, String detail) implements AuthResult {
        public Refused {
            Objects.requireNonNull(error, "error");
            Objects.requireNonNull(detail, "detail");
        }
    }
}
