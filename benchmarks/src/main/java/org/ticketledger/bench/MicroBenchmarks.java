package org.ticketledger.bench;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.ticketledger.ledger.AccountCode;
import org.ticketledger.ledger.CanonicalForm;
import org.ticketledger.ledger.Entry;
import org.ticketledger.ledger.EntryKind;
import org.ticketledger.ledger.Hash;
import org.ticketledger.ledger.LedgerId;
import org.ticketledger.ledger.Money;
import org.ticketledger.ledger.Posting;

/** JMH microbenchmarks: money arithmetic and parsing, canonical encoding, entry hashing. */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class MicroBenchmarks {

    private final Money a = Money.cny(123_456_78);
    private final Money b = Money.cny(98_76);
    private final String text = "123456.78";
    private final CanonicalForm canonical = new CanonicalForm();
    private final Entry entry;

    public MicroBenchmarks() {
        Instant t = Instant.parse("2026-11-26T02:00:00.123456Z");
        entry = new Entry(LedgerId.of("platform-cny"), 42, EntryKind.STANDARD, "order:o-42:collected", "issuance",
                List.of(Posting.debit(AccountCode.of("platform:alipay:settlement"), Money.cny(10100)),
                        Posting.credit(AccountCode.of("tickets:unredeemed"), Money.cny(10000)),
                        Posting.credit(AccountCode.of("revenue:issuance-fee"), Money.cny(100))),
                OptionalLong.empty(), t, t, Optional.empty(), Map.of("order", "o-42"), Hash.GENESIS, Hash.GENESIS);
    }

    @Benchmark
    public Money moneyPlusMinus() {
        return a.plus(b).minus(b).plus(b);
    }

    @Benchmark
    public Money moneyParse() {
        return Money.parseCny(text);
    }

    @Benchmark
    public String moneyFormat() {
        return a.toDecimalString();
    }

    @Benchmark
    public byte[] canonicalEncode() {
        return CanonicalForm.bytesOf(entry);
    }

    @Benchmark
    public Hash canonicalHash() {
        return canonical.hash(entry);
    }
}
