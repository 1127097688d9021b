package org.ticketledger.ticketing.spi;

import org.ticketledger.ticketing.internal.AesGcmKeyProtector;
import org.ticketledger.ticketing.internal.PlainKeyProtector;

/**
 * Protects issuer private keys at rest: ticketing stores only what {@link #seal} returns, together
 * with {@link #scheme()}, and calls {@link #open} when it loads a key into memory. A KMS or HSM
 * plugs in here; {@link #aesGcm} encrypts with a master key the host keeps outside the database.
 * Implementations are thread-safe, never return null, and never put key material into exception
 * messages or logs.
 */
public interface KeyProtector {

    /**
     * Names the scheme and the master key (e.g. {@code AES-256-GCM:3f2a...}), stored next to each
     * sealed key, so a key sealed under another master key is reported instead of mis-decrypted.
     */
    String scheme();

    /** Encrypts a PKCS#8 private key. */
    byte[] seal(byte[] privateKey);

    /**
     * Decrypts what {@link #seal} returned.
     *
     * @throws IllegalArgumentException if the bytes were not sealed by this protector (tampered,
     *                                  or another master key)
     */
    byte[] open(byte[] sealed);

    /**
     * AES-256-GCM under {@code masterKey} (32 bytes, e.g. from an environment variable or a secret
     * store), with a random 96-bit nonce per key. The scheme names a fingerprint of the master key,
     * never the key.
     *
     * @throws IllegalArgumentException unless the key has 32 bytes
     */
    static KeyProtector aesGcm(byte[] masterKey) {
        return new AesGcmKeyProtector(masterKey);
    }

    /**
     * No encryption: private keys lie in the database as plain PKCS#8, protected only by database
     * access control. For tests and demos; ticketing logs a warning at start when it is used.
     */
    static KeyProtector none() {
        return new PlainKeyProtector();
    }
}
