package org.ticketledger.verify;

import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of {@link TicketCodec#decode}: either a structurally valid {@link Decoded} code or a
 * {@link Malformed} one. Closed hierarchy (a sealed type in Java 11 clothing: the constructor is
 * package-private). Immutable and thread-safe.
 */
public abstract class DecodeResult {

    DecodeResult() {
    }

    /** The decoded code, or empty when malformed. */
    public abstract Optional<TicketCode> ticketCode();

    /** A code whose structure is valid; its signature is still to be checked. */
    public static final class Decoded extends DecodeResult {
        private final TicketCode code;

        Decoded(TicketCode code) {
            this.code = Objects.requireNonNull(code, "code");
        }

        /** The decoded code. */
        public TicketCode code() {
            return code;
        }

        @Override
        public Optional<TicketCode> ticketCode() {
            return Optional.of(code);
        }

        @Override
        public String toString() {
            return "Decoded[" + code + "]";
        }
    }

    /** Text that is not a decodable ticket code. */
    public static final class Malformed extends DecodeResult {
        private final ResultCode code;
        private final String detail;

        Malformed(ResultCode code, String detail) {
            if (code != ResultCode.INVALID && code != ResultCode.UNSUPPORTED_VERSION) {
                throw new IllegalArgumentException("malformed codes are INVALID or UNSUPPORTED_VERSION");
            }
            this.code = code;
            this.detail = Objects.requireNonNull(detail, "detail");
        }

        /** {@link ResultCode#INVALID} or {@link ResultCode#UNSUPPORTED_VERSION}. */
        public ResultCode code() {
            return code;
        }

        /** What is wrong, in a few words ("truncated", "not Base45"). */
        public String detail() {
            return detail;
        }

        @Override
        public Optional<TicketCode> ticketCode() {
            return Optional.empty();
        }

        @Override
        public String toString() {
            return "Malformed[" + code + ": " + detail + "]";
        }
    }
}
