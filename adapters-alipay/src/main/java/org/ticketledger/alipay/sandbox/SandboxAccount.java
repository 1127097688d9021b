package org.ticketledger.alipay.sandbox;

import java.util.Objects;

/**
 * An Alipay account at the sandbox.
 *
 * @param userId  the Alipay user id (2088 and 12 digits)
 * @param logonId the login id (phone or e-mail)
 * @param name    the holder's real name
 */
public record SandboxAccount(String userId, String logonId, String name) {
    public SandboxAccount {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(logonId, "logonId");
        Objects.requireNonNull(name, "name");
    }
}
