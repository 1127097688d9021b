package org.ticketledger.ledger;

import java.util.Objects;
import java.util.regex.Pattern;

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

    private static final Pattern VALID = Pattern.compile("[a-z0-9][a-z0-9._-]*(:[a-z0-9][a-z0-9._-]*)*");

    public AccountCode {
        Objects.requireNonNull(value, "account code");
        if (value.length() > 128 || !VALID.matcher(value).matches()) {
            throw new IllegalArgumentException("invalid account code \"" + value
                    + "\": use colon-separated segments of [a-z0-9._-], at most 128 characters");
        }
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
