package org.ticketledger.huijinbao;

/**
 * The root of this module's exceptions, which signal bugs and infrastructure failures only. Rail
 * outcomes (declines, unknown outcomes, conflicts) are values, never exceptions.
 */
public class HuijinbaoException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public HuijinbaoException(String message) {
        super(message);
    }

    public HuijinbaoException(String message, Throwable cause) {
        super(message, cause);
    }
}
