package org.ticketledger.alipay;

/**
 * The root of this module's exceptions, which signal bugs and infrastructure failures (an
 * unreadable key, a sandbox that cannot bind its port), never payment outcomes: those are
 * {@link org.ticketledger.payment.RailOutcome} values. Messages never carry key material or
 * agreement numbers.
 */
public class AlipayException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public AlipayException(String message) {
        super(message);
    }

    public AlipayException(String message, Throwable cause) {
        super(message, cause);
    }
}
