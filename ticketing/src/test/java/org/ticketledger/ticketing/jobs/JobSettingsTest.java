package org.ticketledger.ticketing.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class JobSettingsTest {

    @Test
    void doublesTheChargeBackoffUpToItsCap() {
        JobSettings s = JobSettings.defaults();
        assertThat(s.chargeBackoff(1)).isEqualTo(Duration.ofSeconds(5));
        assertThat(s.chargeBackoff(2)).isEqualTo(Duration.ofSeconds(10));
        assertThat(s.chargeBackoff(4)).isEqualTo(Duration.ofSeconds(40));
        assertThat(s.chargeBackoff(7)).isEqualTo(Duration.ofMinutes(5));
        assertThat(s.chargeBackoff(1_000)).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void capsThePayoutBackoffAtATenthOfTheWindow() {
        JobSettings s = JobSettings.defaults();
        assertThat(s.payoutBackoff(1)).isEqualTo(Duration.ofSeconds(5));
        assertThat(s.payoutBackoff(50)).isEqualTo(Duration.ofMinutes(3));
    }

    @Test
    void refusesNonsenseTimings() {
        assertThatThrownBy(() -> JobSettings.defaults().withLease(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> JobSettings.defaults().withPayoutRetryWindow(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
