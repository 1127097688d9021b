package org.ticketledger.ticketing.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** The yield split: exact to the fen, proportional within a fen, remainders to the largest, ties to the earlier. */
class YieldAllocationTest {

    private static final ZoneId BEIJING = ZoneId.of("Asia/Shanghai");

    @Property
    void sharesAddUpToTheYieldExactlyAndEachIsWithinAFenOfItsProportion(
            @ForAll @LongRange(min = 0, max = 100_000_000L) long total,
            @ForAll @Size(min = 1, max = 60) List<@LongRange(min = 0, max = 1_000_000_000_000L) Long> raw) {
        List<BigInteger> weights = raw.stream().map(BigInteger::valueOf).toList();
        BigInteger sum = weights.stream().reduce(BigInteger.ZERO, BigInteger::add);
        List<Long> shares = YieldAllocation.allocate(total, weights);
        assertThat(shares).hasSameSizeAs(weights);
        if (sum.signum() == 0) {
            assertThat(shares).containsOnly(0L);
            return;
        }
        assertThat(shares.stream().mapToLong(Long::longValue).sum()).isEqualTo(total);
        for (int i = 0; i < weights.size(); i++) {
            BigInteger floor = BigInteger.valueOf(total).multiply(weights.get(i)).divide(sum);
            assertThat(shares.get(i)).isBetween(floor.longValue(), floor.longValue() + 1);
        }
    }

    @Test
    void givesTheLeftoverFenToTheLargestRemaindersAndTiesToTheEarlierTicket() {
        // 10 fen over weights 1:1:1 → 3.33 each: the one fen left goes to the first.
        assertThat(YieldAllocation.allocate(10, List.of(BigInteger.ONE, BigInteger.ONE, BigInteger.ONE)))
                .containsExactly(4L, 3L, 3L);
        // 10 over 1:2:4 → 1.43, 2.86, 5.71: floors 1, 2, 5; two fen to the remainders .86 and .71.
        assertThat(YieldAllocation.allocate(10, List.of(BigInteger.ONE, BigInteger.TWO, BigInteger.valueOf(4))))
                .containsExactly(1L, 3L, 6L);
        assertThat(YieldAllocation.allocate(0, List.of(BigInteger.TEN))).containsExactly(0L);
        assertThatThrownBy(() -> YieldAllocation.allocate(-1, List.of(BigInteger.ONE))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> YieldAllocation.allocate(1, List.of(BigInteger.valueOf(-1))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void countsDailyClosesAtBeijingMidnightWithAnOperationAtMidnightAfterThatClose() {
        Instant dec1Morning = Instant.parse("2026-12-01T02:00:00Z");        // 10:00 Beijing
        Instant dec1Late = Instant.parse("2026-12-01T15:59:00Z");           // 23:59 Beijing
        Instant dec2Midnight = Instant.parse("2026-12-01T16:00:00Z");       // 00:00 Beijing
        assertThat(YieldAllocation.closes(dec1Morning, dec1Late, BEIJING)).isZero();
        assertThat(YieldAllocation.closes(dec1Late, dec2Midnight, BEIJING)).isEqualTo(1);
        assertThat(YieldAllocation.closes(dec2Midnight, dec2Midnight.plusSeconds(86_399), BEIJING)).isZero();
        assertThat(YieldAllocation.closes(dec1Morning, dec1Morning.plusSeconds(90L * 86_400), BEIJING)).isEqualTo(90);
        assertThat(YieldAllocation.closes(dec1Late, dec1Morning, BEIJING)).isZero();
    }
}
