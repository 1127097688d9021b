package org.ticketledger.verify.spi;

import java.io.File;
import java.util.Optional;
import org.ticketledger.verify.internal.FileStateStore;
import org.ticketledger.verify.internal.InMemoryStateStore;

/**
 * Small named blobs the SDK keeps between runs: device identity and credential, session tokens,
 * key set, revocation list, clock state, the software device key. Names are short ASCII words.
 * Contents may be secret: store them in app-private storage (or encrypt them in an implementation).
 *
 * <p>Contract: {@link #write} replaces the blob atomically and durably (a crash leaves the old or
 * the new content, never a mix); {@link #read} returns what was last written. Thread-safe.
 * Failures are thrown as {@link org.ticketledger.verify.UnableToPersistException}.
 */
public interface StateStore {

    /** The blob, or empty if never written or deleted. */
    Optional<byte[]> read(String name);

    /** Atomically and durably replaces the blob. */
    void write(String name, byte[] content);

    /** Removes the blob; no-op if absent. */
    void delete(String name);

    /** Files in {@code directory} (created if needed), written via temp file + fsync + rename. */
    static StateStore directory(File directory) {
        return new FileStateStore(directory);
    }

    /** A store in memory: nothing survives the process (tests, demos). */
    static StateStore inMemory() {
        return new InMemoryStateStore();
    }
}
