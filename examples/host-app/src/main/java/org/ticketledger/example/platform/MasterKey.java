package org.ticketledger.example.platform;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.regex.Pattern;
import org.ticketledger.ticketing.spi.KeyProtector;

/**
 * The 256-bit master key that seals ticketing's issuer private keys at rest
 * ({@link KeyProtector#aesGcm}). It lives outside the database: in {@code TL_KEY_MASTER} /
 * {@code --key-master}, or in a file under the data directory that {@link #storedOrNew} creates
 * once. {@link #toString()} never shows the key; nothing here logs it or puts it in an exception.
 * Immutable and thread-safe.
 */
public final class MasterKey {

    /** The key length in bytes. */
    public static final int LENGTH = 32;

    private static final Pattern HEX = Pattern.compile("[0-9a-fA-F]{64}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] key;

    private MasterKey(byte[] key) {
        this.key = key.clone();
    }

    /** A new random key (for throw-away databases, or to store with {@link #storedOrNew}). */
    public static MasterKey generate() {
        byte[] k = new byte[LENGTH];
        RANDOM.nextBytes(k);
        return new MasterKey(k);
    }

    /**
     * A key written as 64 hex digits or as base64 / base64url (padded or not) of 32 bytes.
     *
     * @throws IllegalArgumentException otherwise (the message does not repeat the text)
     */
    public static MasterKey parse(String text) {
        String t = text.strip();
        if (HEX.matcher(t).matches()) {
            return new MasterKey(HexFormat.of().parseHex(t));
        }
        byte[] b;
        try {
            b = Base64.getDecoder().decode(t.replace('-', '+').replace('_', '/'));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the master key must be 64 hex digits or the base64 of 32 bytes");
        }
        if (b.length != LENGTH) {
            throw new IllegalArgumentException("the master key must have 32 bytes, not " + b.length);
        }
        return new MasterKey(b);
    }

    /**
     * The key kept in {@code file} (owner-only permissions), created there on first use so that a
     * restart finds the issuer keys it sealed.
     *
     * @throws IOException if the file cannot be read or written
     * @throws IllegalArgumentException if the file holds something that is not a key
     */
    public static MasterKey storedOrNew(Path file) throws IOException {
        if (Files.exists(file)) {
            return parse(Files.readString(file, StandardCharsets.US_ASCII));
        }
        MasterKey k = generate();
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp);
        try {
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system; the file keeps the directory's default permissions
        }
        Files.writeString(tmp, HexFormat.of().formatHex(k.key) + "\n", StandardCharsets.US_ASCII);
        Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        return k;
    }

    /** The protector that seals issuer keys under this key. */
    public KeyProtector protector() {
        return KeyProtector.aesGcm(key.clone());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MasterKey m && java.security.MessageDigest.isEqual(key, m.key);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(key);
    }

    @Override
    public String toString() {
        return "MasterKey[redacted]";
    }
}
