package org.ticketledger.verify;

import java.util.Objects;

/** The gate operator logged in on the device: server id and display name. Immutable. */
public final class Operator {

    private final String id;
    private final String name;

    /** Creates an operator reference. */
    public Operator(String id, String name) {
        this.id = Objects.requireNonNull(id, "id");
        this.name = Objects.requireNonNull(name, "name");
    }

    /** The server's operator id. */
    public String id() {
        return id;
    }

    /** The display name. */
    public String name() {
        return name;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Operator && ((Operator) o).id.equals(id) && ((Operator) o).name.equals(name);
    }

    @Override
    public int hashCode() {
        return id.hashCode() * 31 + name.hashCode();
    }

    @Override
    public String toString() {
        return "Operator[" + id + " " + name + "]";
    }
}
