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

    @Test
    void keepsTheOldConstructorWithTheDefaultSweepWorkers() {
        JobSettings d = JobSettings.defaults();
        JobSettings old = new JobSettings(d.lease(), d.sweepInterval(), d.pollingInterval(), d.heartbeatInterval(),
                d.missedHeartbeats(), d.batchSize(), d.chargeBackoffInitial(), d.chargeBackoffMax(), d.payoutBackoffInitial(),
                d.payoutRetryWindow(), d.notifyBackoff(), d.notifyMaxAttempts());
        assertThat(old).isEqualTo(d);
        assertThat(old.sweepWorkers()).isEqualTo(JobSettings.DEFAULT_SWEEP_WORKERS);
        assertThat(d.withSweepWorkers(1).sweepWorkers()).isEqualTo(1);
        assertThat(d.withSweepWorkers(3).withLease(Duration.ofMinutes(1)).withPayoutRetryWindow(Duration.ofMinutes(9))
                .withBatchSize(7).withSweepInterval(Duration.ofSeconds(1)))
                .extracting(JobSettings::sweepWorkers, JobSettings::batchSize, JobSettings::sweepInterval)
                .containsExactly(3, 7, Duration.ofSeconds(1));
    }

    @Test
    void refusesSweepWorkersOutsideOneToSixtyFour() {
        assertThatThrownBy(() -> JobSettings.defaults().withSweepWorkers(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> JobSettings.defaults().withSweepWorkers(65)).isInstanceOf(IllegalArgumentException.class);
        assertThat(JobSettings.defaults().withSweepWorkers(64).sweepWorkers()).isEqualTo(64);
    }
}
