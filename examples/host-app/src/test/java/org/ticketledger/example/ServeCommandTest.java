package org.ticketledger.example;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.ticketledger.ticketing.jobs.JobSettings;

class ServeCommandTest {

    @Test
    void automaticSweepWorkersLeaveHalfThePoolToRequests() {
        assertThat(ServeCommand.sweepWorkers(0, 16)).isEqualTo(4);
        assertThat(ServeCommand.sweepWorkers(0, 32)).isEqualTo(JobSettings.DEFAULT_SWEEP_WORKERS);
        assertThat(ServeCommand.sweepWorkers(0, 200)).isEqualTo(JobSettings.DEFAULT_SWEEP_WORKERS);
        assertThat(ServeCommand.sweepWorkers(0, 2)).isEqualTo(1);
        for (int pool = 2; pool <= 200; pool++) {
            assertThat(2 * ServeCommand.sweepWorkers(0, pool)).as("pool %d", pool).isLessThanOrEqualTo(Math.max(2, pool / 2));
        }
    }

    @Test
    void givenSweepWorkersAreKept() {
        assertThat(ServeCommand.sweepWorkers(3, 16)).isEqualTo(3);
        assertThat(ServeCommand.sweepWorkers(12, 64)).isEqualTo(12);
    }
}
