package org.ticketledger.cli.internal.journal;

import java.util.List;
import java.util.Map;
import org.ticketledger.ledger.Account;
import org.ticketledger.ledger.Balance;
import org.ticketledger.ledger.Entry;
import org.ticketledger.ledger.LedgerId;
import org.ticketledger.ledger.Money;
import org.ticketledger.ledger.Posting;

/**
 * The lines of the JSON Lines export (JOURNAL-FORMAT.md, "JSON Lines export"), byte for byte. The
 * writer uses it to write, and the reader to check that a line it parsed is spelled exactly as
 * the writer would spell it.
 */
final class ExportEncoding {

    private ExportEncoding() {
    }

    static void ledger(LedgerHead h, LineBuffer b) {
        b.reset();
        b.raw("{\"record\":\"ledger\",\"ledger\":").string(h.ledger().id().value())
                .raw(",\"currency\":").string(h.ledger().currency().getCurrencyCode())
                .raw(",\"firstSequence\":").number(h.firstSequence())
                .raw(",\"lastSequence\":").number(h.lastSequence())
                .raw(",\"lastHash\":").string(h.lastHash().toHex())
                .raw('}');
    }

    static void account(Account a, LineBuffer b) {
        b.reset();
        b.raw("{\"record\":\"account\",\"ledger\":").string(a.ledger().value())
                .raw(",\"code\":").string(a.code().value())
                .raw(",\"type\":").string(a.type().name())
                .raw(",\"policy\":").string(a.policy().name())
                .raw(",\"metadata\":");
        metadata(a.metadata(), b);
        b.raw('}');
    }

    static void entry(Entry e, LineBuffer b) {
        b.reset();
        b.raw("{\"record\":\"entry\",\"ledger\":").string(e.ledger().value())
                .raw(",\"sequence\":").number(e.sequence())
                .raw(",\"kind\":").string(e.kind().name())
                .raw(",\"key\":").string(e.idempotencyKey())
                .raw(",\"type\":").string(e.type())
                .raw(",\"reference\":");
        if (e.reference().isPresent()) {
            b.number(e.reference().getAsLong());
        } else {
            b.raw("null");
        }
        b.raw(",\"effectiveAt\":").timestamp(e.effectiveAt())
                .raw(",\"recordedAt\":").timestamp(e.recordedAt())
                .raw(",\"holdExpiresAt\":");
        if (e.holdExpiresAt().isPresent()) {
            b.timestamp(e.holdExpiresAt().get());
        } else {
            b.raw("null");
        }
        b.raw(",\"postings\":[");
        List<Posting> postings = e.postings();
        for (int i = 0; i < postings.size(); i++) {
            Posting p = postings.get(i);
            if (i > 0) {
                b.raw(',');
            }
            b.raw("{\"account\":").string(p.account().value())
                    .raw(",\"side\":\"").raw(p.side().code())
                    .raw("\",\"currency\":").string(p.amount().currency().getCurrencyCode())
                    .raw(",\"amount\":").string(p.amount().toDecimalString())
                    .raw('}');
        }
        b.raw("],\"metadata\":");
        metadata(e.metadata(), b);
        b.raw(",\"previousHash\":").string(e.previousHash().toHex())
                .raw(",\"hash\":").string(e.hash().toHex())
                .raw('}');
    }

    static void balance(LedgerId ledger, Balance s, LineBuffer b) {
        b.reset();
        b.raw("{\"record\":\"balance\",\"ledger\":").string(ledger.value())
                .raw(",\"account\":").string(s.account().value())
                .raw(",\"debitsPosted\":").string(Money.of(s.debitsPosted(), s.currency()).toDecimalString())
                .raw(",\"creditsPosted\":").string(Money.of(s.creditsPosted(), s.currency()).toDecimalString())
                .raw(",\"debitsPending\":").string(Money.of(s.debitsPending(), s.currency()).toDecimalString())
                .raw(",\"creditsPending\":").string(Money.of(s.creditsPending(), s.currency()).toDecimalString())
                .raw('}');
    }

    private static void metadata(Map<String, String> metadata, LineBuffer b) {
        b.raw('{');
        boolean first = true;
        for (Map.Entry<String, String> m : metadata.entrySet()) {
            if (!first) {
                b.raw(',');
            }
            first = false;
            b.string(m.getKey()).raw(':').string(m.getValue());
        }
        b.raw('}');
    }
}
