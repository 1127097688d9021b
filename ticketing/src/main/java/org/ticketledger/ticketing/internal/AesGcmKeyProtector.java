package org.ticketledger.ticketing.internal;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Objects;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.ticketledger.ticketing.TicketingException;
import org.ticketledger.ticketing.spi.KeyProtector;

/**
 * AES-256-GCM with a random 12-byte nonce prepended to the ciphertext; the scheme carries the first
 * 8 bytes of SHA-256("ticketledger-kek" || key) so a wrong master key is named, not guessed at.
 */
public final class AesGcmKeyProtector implements KeyProtector {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final byte[] AAD = "ticketledger:issuer-key:v1".getBytes(StandardCharsets.US_ASCII);

    private final SecretKeySpec key;
    private final String scheme;

    public AesGcmKeyProtector(byte[] masterKey) {
        Objects.requireNonNull(masterKey, "masterKey");
        if (masterKey.length != 32) {
            throw new IllegalArgumentException("the master key must have 32 bytes, not " + masterKey.length);
        }
        this.key = new SecretKeySpec(masterKey.clone(), "AES");
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            d.update("ticketledger-kek".getBytes(StandardCharsets.US_ASCII));
            byte[] fp = d.digest(masterKey);
            this.scheme = "AES-256-GCM:" + HexFormat.of().formatHex(fp, 0, 8);
        } catch (GeneralSecurityException e) {
            throw new TicketingException("SHA-256 is unavailable", e);
        }
    }

    @Override
    public String scheme() {
        return scheme;
    }

    @Override
    public byte[] seal(byte[] privateKey) {
        byte[] nonce = new byte[12];
        RANDOM.nextBytes(nonce);
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce));
            c.updateAAD(AAD);
            byte[] ct = c.doFinal(privateKey);
            byte[] out = new byte[nonce.length + ct.length];
            System.arraycopy(nonce, 0, out, 0, nonce.length);
            System.arraycopy(ct, 0, out, nonce.length, ct.length);
            return out;
        } catch (GeneralSecurityException e) {
            throw new TicketingException("AES-GCM is unavailable: " + e.getClass().getSimpleName(), e);
        }
    }

    @Override
    public byte[] open(byte[] sealed) {
        if (sealed.length < 12 + 16) {
            throw new IllegalArgumentException("sealed key too short");
        }
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, sealed, 0, 12));
            c.updateAAD(AAD);
            return c.doFinal(sealed, 12, sealed.length - 12);
        } catch (javax.crypto.AEADBadTagException e) {
            // No cause: the exception text is harmless, but keep key-related traces out entirely.
            throw new IllegalArgumentException("sealed key does not open with this master key (tampered or another key)");
        } catch (GeneralSecurityException e) {
            throw new TicketingException("AES-GCM is unavailable: " + e.getClass().getSimpleName(), e);
        }
    }
}
