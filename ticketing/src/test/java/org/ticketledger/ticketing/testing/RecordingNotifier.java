package org.ticketledger.ticketing.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.ticketledger.ticketing.spi.Notification;
import org.ticketledger.ticketing.spi.Notifier;
import org.ticketledger.ticketing.spi.SendResult;

/** An SMS provider stand-in that records what reaches it (the SPI boundary). Thread-safe. */
public final class RecordingNotifier implements Notifier {

    private final List<Notification> sent = new CopyOnWriteArrayList<>();
    private final java.util.concurrent.atomic.AtomicInteger failures = new java.util.concurrent.atomic.AtomicInteger();

    /** The next {@code n} messages fail (retryably), as a provider outage would. */
    public void failNext(int n) {
        failures.set(n);
    }

    @Override
    public SendResult send(Notification notification) {
        if (failures.getAndUpdate(f -> Math.max(0, f - 1)) > 0) {
            return new SendResult.Failed("provider unavailable", true);
        }
        sent.add(notification);
        return new SendResult.Sent("rec-" + sent.size());
    }

    public List<Notification> sent() {
        return List.copyOf(sent);
    }

    public List<Notification> sentTo(String phone) {
        return sent.stream().filter(n -> n.recipient().equals(phone)).toList();
    }
}
