package org.ticketledger.ticketing.internal;

import org.ticketledger.ticketing.spi.KeyProtector;

/** Stores keys unencrypted (tests and demos only). */
public final class PlainKeyProtector implements KeyProtector {

    @Override
    public String scheme() {
        return "NONE";
    }

    @Override
    public byte[] seal(byte[] privateKey) {
        return privateKey.clone();
    }

    @Override
    public byte[] open(byte[] sealed) {
        return sealed.clone();
    }
}
