package org.ticketledger.ticketing.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.ticketledger.ledger.AccountCode;
import org.ticketledger.payment.RequestId;

class IdsTest {

    @Test
    void makesUniqueTimeOrderedIdsUsableInAccountCodesAndRequestIds() {
        Clock clock = Clock.fixed(Instant.parse("2026-11-26T00:00:00Z"), ZoneOffset.UTC);
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            String id = Ids.next("o", clock);
            assertThat(id).matches("o-[0-9a-hjkmnp-tv-z]{26}");
            assertThat(seen.add(id)).isTrue();
        }
        String id = Ids.next("sp", clock);
        AccountCode.of("scenic:" + id + ":payable");
        RequestId.of("col-" + id + "-12");
        String later = Ids.next("o", Clock.fixed(Instant.parse("2026-11-27T00:00:00Z"), ZoneOffset.UTC));
        assertThat(later.substring(0, 12)).isGreaterThan(Ids.next("o", clock).substring(0, 12));
    }

    @Test
    void appendsALuhnCheckDigitToTicketNumbers() {
        assertThat(Ids.ticketNumber(7992739871L)).isEqualTo("79927398713");
        String n = Ids.ticketNumber(100000000000L);
        assertThat(luhnValid(n)).isTrue();
        // A single mistyped digit is caught.
        char[] typo = n.toCharArray();
        typo[3] = typo[3] == '9' ? '8' : (char) (typo[3] + 1);
        assertThat(luhnValid(new String(typo))).isFalse();
    }

    private static boolean luhnValid(String digits) {
        int sum = 0;
        boolean dbl = false;
        for (int i = digits.length() - 1; i >= 0; i--) {
            int d = digits.charAt(i) - '0';
            if (dbl) {
                d *= 2;
                if (d > 9) {
                    d -= 9;
                }
            }
            sum += d;
            dbl = !dbl;
        }
        return sum % 10 == 0;
    }
}
