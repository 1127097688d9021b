package org.ticketledger.verify.internal;

import java.security.KeyPair;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.util.Optional;
import org.ticketledger.verify.EcP256;
import org.ticketledger.verify.spi.DeviceSigner;
import org.ticketledger.verify.spi.StateStore;

/**
 * A software P-256 device key, generated on first use and kept as a private JWK in the state
 * store under "device-key". Not API. Thread-safe.
 */
public final class SoftwareDeviceSigner implements DeviceSigner {

    static final String NAME = "device-key";

    private final StateStore store;
    private ECPrivateKey privateKey;
    private ECPublicKey publicKey;

    public SoftwareDeviceSigner(StateStore store) {
        this.store = store;
    }

    private synchronized void ensureKey() {
        if (privateKey != null) {
            return;
        }
        Optional<byte[]> stored = store.read(NAME);
        if (stored.isPresent()) {
            JsonObject jwk = Json.parseObject(stored.get());
            privateKey = EcP256.privateKey(Wire.b64(jwk, "d", 32));
            publicKey = Wire.publicKeyFromJwk(jwk);
            return;
        }
        KeyPair pair = EcP256.generateKeyPair();
        ECPrivateKey priv = (ECPrivateKey) pair.getPrivate();
        ECPublicKey pub = (ECPublicKey) pair.getPublic();
        byte[] d = Wire.fixed32(priv.getS());
        store.write(NAME, JsonBuilder.object().put("kty", "EC").put("crv", "P-256")
                .put("x", Base64Url.encode(EcP256.x(pub))).put("y", Base64Url.encode(EcP256.y(pub)))
                .put("d", Base64Url.encode(d)).toBytes());
        privateKey = priv;
        publicKey = pub;
    }

    @Override
    public ECPublicKey publicKey() {
        ensureKey();
        return publicKey;
    }

    @Override
    public byte[] sign(byte[] message) {
        ensureKey();
        return EcP256.sign(privateKey, message);
    }
}
