package org.ticketledger.ticketing.internal;

import java.time.Instant;
import java.util.Optional;
import org.ticketledger.ticketing.TicketingException;
import org.ticketledger.ticketing.spi.TicketClaims;
import org.ticketledger.ticketing.spi.TicketCodeMinter;
import org.ticketledger.verify.TicketCodec;
import org.ticketledger.verify.TicketPayload;

/**
 * Mints TICKET-CODE.md version-1 codes with the current issuer key. Validity is widened to whole
 * seconds (the format's resolution) without ever ending later than the ticket does.
 */
final class SignedTicketCodeMinter implements TicketCodeMinter {

    private final Ctx ctx;
    private final SigningKeys keys;

    SignedTicketCodeMinter(Ctx ctx, SigningKeys keys) {
        this.ctx = ctx;
        this.keys = keys;
    }

    @Override
    public Optional<String> cannotMintUntil(Instant validUntil) {
        SigningKeys.Key key = keys.signingKey(ctx.now());
        Instant until = Instant.ofEpochSecond(validUntil.getEpochSecond());
        return until.isAfter(key.notAfter())
                ? Optional.of("issuer key " + key.id() + " is valid until " + key.notAfter() + ", before the ticket's end "
                        + until + ": an operator must rotate the issuer key")
                : Optional.empty();
    }

    @Override
    public String mint(TicketClaims c) {
        SigningKeys.Key key = keys.signingKey(ctx.now());
        Instant until = Instant.ofEpochSecond(c.validUntil().getEpochSecond());
        if (until.isAfter(key.notAfter())) {
            // Orders are checked before they are charged (cannotMintUntil); this guards other callers.
            throw new TicketingException("issuer key " + key.id() + " is valid until " + key.notAfter()
                    + ", before the ticket's end " + until + ": rotate the issuer key");
        }
        TicketPayload payload = TicketPayload.builder()
                .keyId(key.id())
                .ticketId(Long.parseLong(c.ticketNumber()))
                .productId(c.productNumber())
                .spotIds(c.spotNumbers())
                .validFrom(Instant.ofEpochSecond(c.validFrom().getEpochSecond()))
                .validUntil(until)
                .uses(c.uses())
                .build();
        return TicketCodec.mint(payload, key.signer().orElseThrow()::sign);
    }
}
