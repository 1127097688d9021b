package org.ticketledger.verify.spi;

import java.security.interfaces.ECPublicKey;
import org.ticketledger.verify.internal.SoftwareDeviceSigner;

/**
 * The device's own ECDSA P-256 key, which signs every scan record so the server can tell which
 * device scanned what. The default keeps a software key in the {@link StateStore}; an Android app
 * may back it with the Android Keystore (the private key never leaves the secure hardware).
 * Thread-safe.
 */
public interface DeviceSigner {

    /** The public key registered with the server at provisioning and login. */
    ECPublicKey publicKey();

    /**
     * Signs {@code message} with SHA256withECDSA and returns the 64-byte {@code r || s} form;
     * throws {@link org.ticketledger.verify.UnableToSignException} on failure.
     */
    byte[] sign(byte[] message);

    /** A software key generated on first use and kept in {@code store} under the name "device-key". */
    static DeviceSigner software(StateStore store) {
        return new SoftwareDeviceSigner(store);
    }
}
