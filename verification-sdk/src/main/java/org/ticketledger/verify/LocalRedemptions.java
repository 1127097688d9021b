package org.ticketledger.verify;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * What this device itself redeemed, indexed by ticket: the "already redeemed on this device"
 * memory that offline verification needs. Rebuilt from the journal at start. Thread-safe.
 */
final class LocalRedemptions {

    private final Map<Long, List<ScanRecord>> byTicket = new ConcurrentHashMap<>();
    private volatile Instant latestScan = Instant.EPOCH;

    void add(ScanRecord r) {
        byTicket.compute(r.ticketId(), (id, old) -> {
            List<ScanRecord> list = old == null ? new ArrayList<>(1) : new ArrayList<>(old);
            list.add(r);
            return Collections.unmodifiableList(list);
        });
        synchronized (this) {
            if (r.scannedAt().isAfter(latestScan)) {
                latestScan = r.scannedAt();
            }
        }
    }

    /** Redemptions of the ticket at the spot, oldest first. */
    List<ScanRecord> at(long ticketId, long spotId) {
        List<ScanRecord> all = byTicket.get(ticketId);
        if (all == null) {
            return Collections.emptyList();
        }
        List<ScanRecord> here = new ArrayList<>(all.size());
        for (ScanRecord r : all) {
            if (r.spotId() == spotId) {
                here.add(r);
            }
        }
        return here;
    }

    /** The latest scan time this device recorded (EPOCH if none): a floor for a sane clock. */
    Instant latestScan() {
        return latestScan;
    }

    void retain(Predicate<ScanRecord> keep) {
        for (Map.Entry<Long, List<ScanRecord>> e : byTicket.entrySet()) {
            List<ScanRecord> kept = new ArrayList<>();
            for (ScanRecord r : e.getValue()) {
                if (keep.test(r)) {
                    kept.add(r);
                }
            }
            if (kept.isEmpty()) {
                byTicket.remove(e.getKey(), e.getValue());
            } else if (kept.size() != e.getValue().size()) {
                byTicket.replace(e.getKey(), e.getValue(), Collections.unmodifiableList(kept));
            }
        }
    }
}
