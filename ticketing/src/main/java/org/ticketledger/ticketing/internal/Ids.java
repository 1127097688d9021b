package org.ticketledger.ticketing.internal;

import java.security.SecureRandom;
import java.time.Clock;

/**
 * Ids such as {@code o-01jd8x...}: a prefix and a lower-case ULID (48-bit milliseconds + 80 random
 * bits, Crockford base32). Time-ordered, unique across instances and databases, so rail request
 * ids derived from them never collide even if a database is rebuilt; valid as ledger account-code
 * segments and rail request ids.
 */
final class Ids {

    private static final char[] ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private Ids() {
    }

    static String next(String prefix, Clock clock) {
        long time = clock.millis();
        byte[] rnd = new byte[10];
        RANDOM.nextBytes(rnd);
        char[] out = new char[26];
        for (int i = 9; i >= 0; i--) {
            out[i] = ALPHABET[(int) (time & 31)];
            time >>>= 5;
        }
        // 80 random bits → 16 characters.
        long hi = 0;
        for (int i = 0; i < 5; i++) {
            hi = (hi << 8) | (rnd[i] & 0xff);
        }
        long lo = 0;
        for (int i = 5; i < 10; i++) {
            lo = (lo << 8) | (rnd[i] & 0xff);
        }
        for (int i = 17; i >= 10; i--) {
            out[i] = ALPHABET[(int) (hi & 31)];
            hi >>>= 5;
        }
        for (int i = 25; i >= 18; i--) {
            out[i] = ALPHABET[(int) (lo & 31)];
            lo >>>= 5;
        }
        return prefix + "-" + new String(out);
    }

    /** A ticket number: the sequence value and a Luhn check digit, so a mistyped number is caught. */
    static String ticketNumber(long sequence) {
        String digits = Long.toString(sequence);
        int sum = 0;
        boolean dbl = true;
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
        return digits + ((10 - sum % 10) % 10);
    }
}
