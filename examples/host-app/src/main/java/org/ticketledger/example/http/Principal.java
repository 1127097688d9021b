package org.ticketledger.example.http;

import java.util.Objects;

/**
 * Who is calling, as established by authentication; handlers read it with
 * {@link Routes#principal(io.javalin.http.Context)}. The {@link #id()} scopes idempotency keys
 * and appears in logs (never a secret).
 */
public sealed interface Principal {

    /** A stable, loggable identifier, e.g. {@code distributor:d-1} or {@code admin:ops}. */
    String id();

    /** An unauthenticated caller of a public route. */
    record Anonymous() implements Principal {
        @Override
        public String id() {
            return "anonymous";
        }
    }

    /** A distributor authenticated by one of its API keys. */
    record Distributor(String distributorId, String keyId) implements Principal {
        public Distributor {
            Objects.requireNonNull(distributorId, "distributorId");
            Objects.requireNonNull(keyId, "keyId");
        }

        @Override
        public String id() {
            return "distributor:" + distributorId;
        }
    }

    /** An operator of the platform, by the name of its token; auditors may only read. */
    record Admin(String name, AdminRole role) implements Principal {
        public Admin {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(role, "role");
        }

        @Override
        public String id() {
            return "admin:" + name;
        }
    }

    /** The two kinds of admin token. */
    enum AdminRole {
        /** May read and change. */
        OPERATOR,
        /** May only read (GET). */
        AUDITOR
    }

    /** An administrator logged in to the operator console (session cookie), by username. */
    record ConsoleAdmin(String username, AdminRole role) implements Principal {
        public ConsoleAdmin {
            Objects.requireNonNull(username, "username");
            Objects.requireNonNull(role, "role");
        }

        @Override
        public String id() {
            return "console:" + username;
        }
    }
}
