package org.ticketledger.huijinbao.internal;

import java.util.Optional;
import org.ticketledger.payment.InstructionType;

/** The five HJB-API v1 writes: wire name, write path and the segment of their status-query path. */
public enum Operation {
    COLLECT("/v1/transfers/collect", "collect", InstructionType.COLLECT),
    PAYOUT("/v1/transfers/payout", "payout", InstructionType.PAYOUT),
    SUBSCRIBE("/v1/wealth/subscribe", "subscribe", InstructionType.SUBSCRIBE),
    REDEEM("/v1/wealth/redeem", "redeem", InstructionType.REDEEM),
    REDEEM_ALL("/v1/wealth/redeem-all", "redeem-all", InstructionType.REDEEM_ALL);

    private final String writePath;
    private final String segment;
    private final InstructionType type;

    Operation(String writePath, String segment, InstructionType type) {
        this.writePath = writePath;
        this.segment = segment;
        this.type = type;
    }

    /** The path a write of this kind is POSTed to. */
    public String writePath() {
        return writePath;
    }

    /** The path segment in {@code /v1/orders/{segment}/{request_id}}. */
    public String segment() {
        return segment;
    }

    /** The status-query path of the order sent under {@code requestId}. */
    public String queryPath(String requestId) {
        return "/v1/orders/" + segment + "/" + requestId;
    }

    public InstructionType instructionType() {
        return type;
    }

    /** Whether this is a wealth-plan operation. */
    public boolean isWealth() {
        return this == SUBSCRIBE || this == REDEEM || this == REDEEM_ALL;
    }

    public static Operation of(InstructionType type) {
        for (Operation op : values()) {
            if (op.type == type) {
                return op;
            }
        }
        throw new IllegalArgumentException("no Huijinbao operation for " + type);
    }

    public static Optional<Operation> byWritePath(String path) {
        for (Operation op : values()) {
            if (op.writePath.equals(path)) {
                return Optional.of(op);
            }
        }
        return Optional.empty();
    }

    public static Optional<Operation> bySegment(String segment) {
        for (Operation op : values()) {
            if (op.segment.equals(segment)) {
                return Optional.of(op);
            }
        }
        return Optional.empty();
    }

    public static Optional<Operation> byWireName(String name) {
        for (Operation op : values()) {
            if (op.name().equals(name)) {
                return Optional.of(op);
            }
        }
        return Optional.empty();
    }
}
