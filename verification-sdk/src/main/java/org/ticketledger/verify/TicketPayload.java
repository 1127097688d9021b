package org.ticketledger.verify;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * The signed content of a ticket code (format version 1): which ticket, for which product, at which
 * scenic spots, when, how many entries per spot, and which issuer key signed it. Field ranges are
 * those of the binary layout in TICKET-CODE.md and are enforced here, so every payload that can be
 * built can be encoded and decodes to an equal payload. Immutable and thread-safe.
 */
public final class TicketPayload {

    /** Largest unsigned 32-bit value: the range of product and spot ids and of timestamps. */
    public static final long MAX_U32 = 0xFFFF_FFFFL;
    /** Largest key id (unsigned 16-bit). */
    public static final int MAX_KEY_ID = 0xFFFF;
    /** Most spots one code may list (combo tickets). */
    public static final int MAX_SPOTS = 32;
    /** Most entries per spot. */
    public static final int MAX_USES = 255;

    private final int keyId;
    private final long ticketId;
    private final long productId;
    private final long[] spotIds; // ascending; private copy, exposed as a List
    private final List<Long> spotIdList;
    private final Instant validFrom;
    private final Instant validUntil;
    private final int uses;

    private TicketPayload(Builder b) {
        if (b.keyId < 0 || b.keyId > MAX_KEY_ID) {
            throw new IllegalArgumentException("keyId must be 0.." + MAX_KEY_ID + ": " + b.keyId);
        }
        if (b.ticketId < 1) {
            throw new IllegalArgumentException("ticketId must be positive: " + b.ticketId);
        }
        if (b.productId < 1 || b.productId > MAX_U32) {
            throw new IllegalArgumentException("productId must be 1.." + MAX_U32 + ": " + b.productId);
        }
        if (b.spotIds.isEmpty() || b.spotIds.size() > MAX_SPOTS) {
            throw new IllegalArgumentException("a ticket lists 1.." + MAX_SPOTS + " spots: " + b.spotIds.size());
        }
        long[] spots = new long[b.spotIds.size()];
        for (int i = 0; i < spots.length; i++) {
            long spot = Objects.requireNonNull(b.spotIds.get(i), "spot id");
            if (spot < 1 || spot > MAX_U32) {
                throw new IllegalArgumentException("spot ids must be 1.." + MAX_U32 + ": " + spot);
            }
            spots[i] = spot;
        }
        Arrays.sort(spots);
        for (int i = 1; i < spots.length; i++) {
            if (spots[i] == spots[i - 1]) {
                throw new IllegalArgumentException("duplicate spot id " + spots[i]);
            }
        }
        this.validFrom = checkTime("validFrom", b.validFrom);
        this.validUntil = checkTime("validUntil", b.validUntil);
        if (!validUntil.isAfter(validFrom)) {
            throw new IllegalArgumentException("validUntil must be after validFrom");
        }
        if (b.uses < 1 || b.uses > MAX_USES) {
            throw new IllegalArgumentException("uses must be 1.." + MAX_USES + ": " + b.uses);
        }
        this.keyId = b.keyId;
        this.ticketId = b.ticketId;
        this.productId = b.productId;
        this.spotIds = spots;
        List<Long> list = new ArrayList<>(spots.length);
        for (long s : spots) {
            list.add(s);
        }
        this.spotIdList = Collections.unmodifiableList(list);
        this.uses = b.uses;
    }

    private static Instant checkTime(String name, Instant t) {
        Objects.requireNonNull(t, name);
        if (t.getNano() != 0 || t.getEpochSecond() < 0 || t.getEpochSecond() > MAX_U32) {
            throw new IllegalArgumentException(name + " must be whole seconds within 1970..2106: " + t);
        }
        return t;
    }

    /** Starts a builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** Id of the issuer key that signs (or signed) this payload. */
    public int keyId() {
        return keyId;
    }

    /** The ticket id (positive). */
    public long ticketId() {
        return ticketId;
    }

    /** The product id (1..2^32-1). */
    public long productId() {
        return productId;
    }

    /** The scenic spots where the ticket is valid, ascending; unmodifiable, never empty. */
    public List<Long> spotIds() {
        return spotIdList;
    }

    /** Whether the ticket lists this spot (allocation-free). */
    public boolean isValidAt(long spotId) {
        return Arrays.binarySearch(spotIds, spotId) >= 0;
    }

    /** First instant of validity (inclusive). */
    public Instant validFrom() {
        return validFrom;
    }

    /** End of validity (exclusive). */
    public Instant validUntil() {
        return validUntil;
    }

    /** Entries granted at each listed spot (1 = single entry). */
    public int uses() {
        return uses;
    }

    long spotAt(int index) {
        return spotIds[index];
    }

    int spotCount() {
        return spotIds.length;
    }

    /** A builder seeded with this payload's values. */
    public Builder toBuilder() {
        return new Builder().keyId(keyId).ticketId(ticketId).productId(productId).spotIds(spotIdList)
                .validFrom(validFrom).validUntil(validUntil).uses(uses);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof TicketPayload)) {
            return false;
        }
        TicketPayload p = (TicketPayload) o;
        return keyId == p.keyId && ticketId == p.ticketId && productId == p.productId && uses == p.uses
                && Arrays.equals(spotIds, p.spotIds) && validFrom.equals(p.validFrom) && validUntil.equals(p.validUntil);
    }

    @Override
    public int hashCode() {
        return Objects.hash(keyId, ticketId, productId, Arrays.hashCode(spotIds), validFrom, validUntil, uses);
    }

    @Override
    public String toString() {
        return "TicketPayload[keyId=" + keyId + ", ticketId=" + ticketId + ", productId=" + productId
                + ", spotIds=" + spotIdList + ", validFrom=" + validFrom + ", validUntil=" + validUntil
                + ", uses=" + uses + "]";
    }

    /** Collects payload fields; {@link #build()} validates them. Not thread-safe. */
    public static final class Builder {
        private int keyId = -1;
        private long ticketId;
        private long productId;
        private List<Long> spotIds = Collections.emptyList();
        private Instant validFrom;
        private Instant validUntil;
        private int uses = 1;

        private Builder() {
        }

        /** Issuer key id, 0..65535. */
        public Builder keyId(int keyId) {
            this.keyId = keyId;
            return this;
        }

        /** Ticket id, positive. */
        public Builder ticketId(long ticketId) {
            this.ticketId = ticketId;
            return this;
        }

        /** Product id, 1..2^32-1. */
        public Builder productId(long productId) {
            this.productId = productId;
            return this;
        }

        /** Scenic spots (1..32 distinct ids, any order; stored ascending). */
        public Builder spotIds(List<Long> spotIds) {
            this.spotIds = new ArrayList<>(Objects.requireNonNull(spotIds, "spotIds"));
            return this;
        }

        /** Scenic spots (1..32 distinct ids, any order; stored ascending). */
        public Builder spotIds(long... spotIds) {
            List<Long> list = new ArrayList<>(spotIds.length);
            for (long s : spotIds) {
                list.add(s);
            }
            this.spotIds = list;
            return this;
        }

        /** Valid from (inclusive), whole seconds. */
        public Builder validFrom(Instant validFrom) {
            this.validFrom = validFrom;
            return this;
        }

        /** Valid until (exclusive), whole seconds, after validFrom. */
        public Builder validUntil(Instant validUntil) {
            this.validUntil = validUntil;
            return this;
        }

        /** Entries per spot, 1..255 (default 1). */
        public Builder uses(int uses) {
            this.uses = uses;
            return this;
        }

        /** Builds; throws IllegalArgumentException or NullPointerException naming the bad field. */
        public TicketPayload build() {
            return new TicketPayload(this);
        }
    }
}
