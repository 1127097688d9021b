package org.ticketledger.huijinbao.sandbox;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Armed one-shot faults, consumed in the order they were armed by the first request they match. Thread-safe. */
final class FaultQueue {

    private record Armed(Fault fault, Set<SandboxOperation> targets) {
    }

    private final List<Armed> armed = new ArrayList<>();

    synchronized void arm(Fault fault, Set<SandboxOperation> targets) {
        if (targets.isEmpty()) {
            throw new IllegalArgumentException("a fault needs at least one target operation");
        }
        for (SandboxOperation op : targets) {
            if (fault.isRefusal() && !op.isWrite()) {
                throw new IllegalArgumentException(fault.kind() + " applies to writes only, not " + op);
            }
            if (fault.kind() == Fault.Kind.PLAN_CLOSED && !op.isWealthWrite()) {
                throw new IllegalArgumentException("PLAN_CLOSED applies to wealth writes only, not " + op);
            }
        }
        armed.add(new Armed(fault, Set.copyOf(targets)));
    }

    synchronized Optional<Fault> take(SandboxOperation op) {
        Iterator<Armed> it = armed.iterator();
        while (it.hasNext()) {
            Armed a = it.next();
            if (a.targets().contains(op)) {
                it.remove();
                return Optional.of(a.fault());
            }
        }
        return Optional.empty();
    }

    synchronized void clear() {
        armed.clear();
    }

    synchronized int size() {
        return armed.size();
    }
}
