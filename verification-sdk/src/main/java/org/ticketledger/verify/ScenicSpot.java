package org.ticketledger.verify;

import java.util.Objects;

/** A scenic spot as the device knows it: id (as in ticket codes) and display name. Immutable. */
public final class ScenicSpot {

    private final long id;
    private final String name;

    /** Creates a spot; throws IllegalArgumentException for an id outside 1..2^32-1. */
    public ScenicSpot(long id, String name) {
        if (id < 1 || id > TicketPayload.MAX_U32) {
            throw new IllegalArgumentException("spot id must be 1.." + TicketPayload.MAX_U32 + ": " + id);
        }
        this.id = id;
        this.name = Objects.requireNonNull(name, "name");
    }

    /** The spot id. */
    public long id() {
        return id;
    }

    /** The display name (may be empty if the server sent none). */
    public String name() {
        return name;
    }

    /** The name, or "spot &lt;id&gt;" when it has none; for reason texts. */
    public String label() {
        return name.isEmpty() ? "spot " + id : name;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ScenicSpot && ((ScenicSpot) o).id == id && ((ScenicSpot) o).name.equals(name);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(id) * 31 + name.hashCode();
    }

    @Override
    public String toString() {
        return "ScenicSpot[" + id + " " + name + "]";
    }
}
