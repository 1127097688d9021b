package org.ticketledger.huijinbao.sandbox;

import java.util.EnumSet;
import java.util.Set;
import org.ticketledger.payment.InstructionType;

/** The requests a {@link Fault} can be aimed at. */
public enum SandboxOperation {
    COLLECT,
    PAYOUT,
    SUBSCRIBE,
    REDEEM,
    REDEEM_ALL,
    /** {@code GET /v1/orders/...}. */
    ORDER_QUERY,
    /** {@code GET /v1/accounts/.../balance}. */
    BALANCE,
    /** {@code GET /v1/wealth/plans/.../positions/...}. */
    POSITION;

    /** The five writes. */
    public static final Set<SandboxOperation> WRITES = Set.copyOf(EnumSet.of(COLLECT, PAYOUT, SUBSCRIBE, REDEEM, REDEEM_ALL));

    /** The write that carries out instructions of {@code type}. */
    public static SandboxOperation of(InstructionType type) {
        return valueOf(type.name());
    }

    boolean isWrite() {
        return WRITES.contains(this);
    }

    boolean isWealthWrite() {
        return this == SUBSCRIBE || this == REDEEM || this == REDEEM_ALL;
    }
}
