package org.ticketledger.ticketing.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.ticketledger.ticketing.party.Patterns;
import org.ticketledger.ticketing.spi.Notification;
import org.ticketledger.ticketing.spi.Notifier;
import org.ticketledger.ticketing.spi.SendResult;

/** The default {@link Notifier}: logs the message with the phone masked. The outbox keeps the full record. */
public final class LoggingNotifier implements Notifier {

    private static final Logger LOG = LoggerFactory.getLogger("org.ticketledger.ticketing.sms");

    @Override
    public SendResult send(Notification n) {
        LOG.info("SMS {} to {}: {}", n.id(), Patterns.maskPhone(n.recipient()), n.body());
        return new SendResult.Sent("log:" + n.id());
    }
}
