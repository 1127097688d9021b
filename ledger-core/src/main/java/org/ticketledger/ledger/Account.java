package org.ticketledger.ledger;

import java.util.Map;
import java.util.Objects;

/**
 * An account in a ledger. Its currency is the ledger's.
 *
 * <p>Used both to open an account ({@link Journal#openAccount}) and to describe an open one.
 *
 * @param ledger   the ledger the account belongs to
 * @param code     the account's code, unique in the ledger
 * @param type     asset, liability, equity, revenue or expense
 * @param policy   the balance limit checked on every entry
 * @param metadata free-form descriptive pairs (owner, rail, ...); sorted and unmodifiable
 */
public record Account(LedgerId ledger, AccountCode code, AccountType type, BalancePolicy policy,
                      Map<String, String> metadata) {

    public Account {
        Objects.requireNonNull(ledger, "ledger");
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(policy, "policy");
        metadata = Metadata.copyOf(metadata);
    }

    /** An account without metadata. */
    public static Account of(LedgerId ledger, String code, AccountType type, BalancePolicy policy) {
        return new Account(ledger, AccountCode.of(code), type, policy, Map.of());
    }
}
