package org.ticketledger.alipay;

/** A key could not be read or decoded. The message names the source (a file), never the key text. */
public class UnableToLoadKeyException extends AlipayException {

    private static final long serialVersionUID = 1L;

    public UnableToLoadKeyException(String message) {
        super(message);
    }

    public UnableToLoadKeyException(String message, Throwable cause) {
        super(message, cause);
    }
}
