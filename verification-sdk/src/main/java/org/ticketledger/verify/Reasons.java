package org.ticketledger.verify;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The operator-facing sentences behind each result code, in one place so that online and offline
 * results read alike. Times are shown in the gate's zone, to the minute. Thread-safe.
 */
final class Reasons {

    private final DateTimeFormatter format;

    Reasons(ZoneId zone) {
        this.format = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT).withZone(zone);
    }

    String time(Instant t) {
        return format.format(t);
    }

    String valid(TicketPayload t, int remaining) {
        return t.uses() == 1 ? "Valid ticket " + t.ticketId() + "."
                : "Valid ticket " + t.ticketId() + ": " + remaining + " of " + t.uses() + " entries left here.";
    }

    String redeemed(RedeemResult.Mode mode, TicketPayload t) {
        return mode == RedeemResult.Mode.ONLINE ? "Admitted: ticket " + t.ticketId() + " redeemed."
                : "Admitted offline: ticket " + t.ticketId() + " redeemed; it will be synced later.";
    }

    String invalid(String detail) {
        return "Invalid code (" + detail + "). Ask the visitor to show the ticket again.";
    }

    String unsupportedVersion(String detail) {
        return "Ticket code " + detail + " is not supported by this device. Update the app.";
    }

    String unknownKey(OptionalInt keyId) {
        return "Unknown signing key" + (keyId.isPresent() ? " " + keyId.getAsInt() : "")
                + ". Sync this device and scan again; if it persists, the ticket is forged.";
    }

    String forged() {
        return "Forged ticket: the code's signature does not match its content. Do not admit.";
    }

    String keyExpired(OptionalInt keyId) {
        return "Ticket signed with a retired key" + (keyId.isPresent() ? " (" + keyId.getAsInt() + ")" : "")
                + ". Do not admit; send the visitor to the ticket office.";
    }

    String revoked(Optional<Instant> at, String why) {
        return "Ticket " + why.toLowerCase(Locale.ROOT) + (at.isPresent() ? " on " + time(at.get()) : "")
                + ". Do not admit.";
    }

    String alreadyRedeemed(TicketPayload t, List<Redemption> previous) {
        if (previous.isEmpty()) {
            return "Already used. Do not admit.";
        }
        Redemption last = previous.get(previous.size() - 1);
        String where = last.spot().label() + (last.gate().isPresent() ? ", " + last.gate().get() : "")
                + ", device " + last.deviceId();
        return (t.uses() > 1 ? "All " + t.uses() + " entries used; last on " : "Already used on ")
                + time(last.at()) + " at " + where + ".";
    }

    String notYetValid(TicketPayload t) {
        return "Not valid yet: valid from " + time(t.validFrom()) + ".";
    }

    String expired(TicketPayload t) {
        return "Expired on " + time(t.validUntil()) + ".";
    }

    String wrongSpot(TicketPayload t, ScenicSpot here) {
        return "Not valid at " + here.label() + " (valid at spot " + joined(t.spotIds()) + ").";
    }

    String offlineTooLong(Optional<Instant> lastSync, Duration max) {
        if (!lastSync.isPresent()) {
            return "This device has not synchronised yet. Connect to the network and sync.";
        }
        return "Offline since " + time(lastSync.get()) + " (limit " + hours(max)
                + "). Connect to the network and sync.";
    }

    String clockUntrusted() {
        return "The device clock was turned back. Connect to the network to resynchronise the time.";
    }

    String other(String serverCode, String message) {
        return message.isEmpty() ? "Refused by the server (" + serverCode + ")." : message;
    }

    private static String hours(Duration d) {
        long minutes = d.toMinutes();
        return minutes % 60 == 0 ? minutes / 60 + " h" : minutes + " min";
    }

    private static String joined(List<Long> ids) {
        StringBuilder sb = new StringBuilder();
        for (Long id : ids) {
            if (sb.length() > 0) {
                sb.append(", ");
            }
            sb.append(id);
        }
        return sb.toString();
    }
}
