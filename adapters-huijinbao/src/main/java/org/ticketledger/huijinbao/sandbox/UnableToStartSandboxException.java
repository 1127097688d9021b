package org.ticketledger.huijinbao.sandbox;

import org.ticketledger.huijinbao.HuijinbaoException;

/** The sandbox could not start, typically because its port is taken. */
public class UnableToStartSandboxException extends HuijinbaoException {

    private static final long serialVersionUID = 1L;

    public UnableToStartSandboxException(String message, Throwable cause) {
        super(message, cause);
    }
}
