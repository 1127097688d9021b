package org.ticketledger.verify.internal;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.ticketledger.verify.spi.StateStore;

/** A {@link StateStore} in a map; nothing survives the process. Not API. Thread-safe. */
public final class InMemoryStateStore implements StateStore {

    private final Map<String, byte[]> blobs = new HashMap<>();

    @Override
    public synchronized Optional<byte[]> read(String name) {
        byte[] b = blobs.get(name);
        return b == null ? Optional.<byte[]>empty() : Optional.of(b.clone());
    }

    @Override
    public synchronized void write(String name, byte[] content) {
        blobs.put(name, content.clone());
    }

    @Override
    public synchronized void delete(String name) {
        blobs.remove(name);
    }
}
