package org.ticketledger.example.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.ticketledger.example.http.ApiException;
import org.ticketledger.example.http.ProblemType;
import org.ticketledger.ticketing.ErrorCode;
import org.ticketledger.ticketing.Outcome;

class RefusalsTest {

    @Test
    void everyTicketingErrorCodeHasAProblemTypeOfTheSameName() {
        for (ErrorCode code : ErrorCode.values()) {
            ProblemType t = Refusals.type(code);
            assertThat(t.name()).isEqualTo(code.name());
            assertThat(t.status()).as(code.name()).isBetween(400, 499);
        }
    }

    @Test
    void aRefusalBecomesItsProblemWithFieldPointers() {
        Outcome<String> refused = Outcome.refused(ErrorCode.UNKNOWN_DEVICE, "no device dev-x");
        try {
            Refusals.orThrow(refused);
            throw new AssertionError("not thrown");
        } catch (ApiException e) {
            assertThat(e.problem().type()).isEqualTo(ProblemType.UNKNOWN_DEVICE);
            assertThat(e.problem().type().status()).isEqualTo(404);
            assertThat(e.problem().errors()).isEqualTo(List.of());
        }
    }
}
