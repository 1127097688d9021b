package org.ticketledger.ledger;

import java.util.Objects;

/**
 * The code of an account within a ledger, e.g. {@code platform:alipay:settlement} or
 * {@code scenic:s-42:payable}.
 *
 * <p>Colon-separated segments of lower-case letters, digits, '.', '_' and '-'; at most 128
 * characters. Codes are ASCII so that their byte order equals their string order, which is the
 * order balance rows are locked in.
 *
 * @param value the code; never null
 */
public record AccountCode(String value) implements Comparable<AccountCode> {

    public AccountCode {
        Objects.requireNonNull(value, "account code");
        if (!valid(value)) {
            throw new IllegalArgumentException("invalid account code \"" + value
                    + "\": use colon-separated segments of [a-z0-9._-], at most 128 characters");
        }
    }

    /** {@code [a-z0-9][a-z0-9._-]*(:[a-z0-9][a-z0-9._-]*)*}, hand-checked because it runs for every posting. */
    private static boolean valid(String v) {
        int n = v.length();
        if (n == 0 || n > 128) {
            return false;
        }
        boolean segmentStart = true;
        for (int i = 0; i < n; i++) {
            char c = v.charAt(i);
            boolean alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
            if (segmentStart) {
                if (!alnum) {
                    return false;
                }
                segmentStart = false;
            } else if (c == ':') {
                segmentStart = true;
            } else if (!alnum && c != '.' && c != '_' && c != '-') {
                return false;
            }
        }
        return !segmentStart;
    }

    public static AccountCode of(String value) {
        return new AccountCode(value);
    }

    @Override
    public int compareTo(AccountCode o) {
        return value.compareTo(o.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
