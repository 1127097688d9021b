package org.ticketledger.ticketing.internal;

import java.util.Currency;
import java.util.List;
import java.util.Optional;
import org.ticketledger.ledger.Money;
import org.ticketledger.ticketing.ErrorCode;
import org.ticketledger.ticketing.Problem;

/** Checks of amounts given in requests, each with its own stable code. */
final class Amounts {

    private Amounts() {
    }

    static Optional<Problem> positive(String field, Money amount, Currency currency) {
        Optional<Problem> c = currency(field, amount, currency);
        if (c.isPresent()) {
            return c;
        }
        if (!amount.isPositive()) {
            return Optional.of(new Problem(ErrorCode.INVALID_AMOUNT, field + " must be positive, was " + amount.toDecimalString(),
                    List.of(new Problem.FieldError(field, "must be positive"))));
        }
        return Optional.empty();
    }

    static Optional<Problem> nonNegative(String field, Money amount, Currency currency) {
        Optional<Problem> c = currency(field, amount, currency);
        if (c.isPresent()) {
            return c;
        }
        if (amount.isNegative()) {
            return Optional.of(new Problem(ErrorCode.INVALID_AMOUNT, field + " must not be negative, was " + amount.toDecimalString(),
                    List.of(new Problem.FieldError(field, "must not be negative"))));
        }
        return Optional.empty();
    }

    private static Optional<Problem> currency(String field, Money amount, Currency currency) {
        if (!amount.currency().equals(currency)) {
            return Optional.of(new Problem(ErrorCode.CURRENCY_MISMATCH, field + " is in " + amount.currency().getCurrencyCode()
                    + "; the platform books " + currency.getCurrencyCode(),
                    List.of(new Problem.FieldError(field, "must be in " + currency.getCurrencyCode()))));
        }
        return Optional.empty();
    }

    static Problem outOfRange(String what) {
        return Problem.of(ErrorCode.AMOUNT_OUT_OF_RANGE, what + " is out of the representable range");
    }
}
