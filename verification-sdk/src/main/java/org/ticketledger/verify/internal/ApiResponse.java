package org.ticketledger.verify.internal;

import java.time.Instant;
import java.util.Optional;

/**
 * One answer of the device API, classified: status, JSON body (2xx), problem (4xx/5xx) and the
 * server time it carried, with the device-clock instants the request left and the answer arrived.
 * Not API.
 */
public final class ApiResponse {

    private final int status;
    private final JsonObject json;
    private final Problem problem;
    private final Instant serverTime;
    private final long sentAtMillis;
    private final long receivedAtMillis;

    ApiResponse(int status, JsonObject json, Problem problem, Instant serverTime, long sentAtMillis,
            long receivedAtMillis) {
        this.status = status;
        this.json = json;
        this.problem = problem;
        this.serverTime = serverTime;
        this.sentAtMillis = sentAtMillis;
        this.receivedAtMillis = receivedAtMillis;
    }

    public int status() {
        return status;
    }

    public boolean ok() {
        return status >= 200 && status < 300;
    }

    /** The JSON object of a 2xx answer with a body; throws when absent (a contract break). */
    public JsonObject json() {
        if (json == null) {
            throw new JsonException("the answer (HTTP " + status + ") has no JSON body");
        }
        return json;
    }

    public Optional<Problem> problem() {
        return Optional.ofNullable(problem);
    }

    /** The problem code, or "http-STATUS". */
    public String problemCode() {
        return problem == null ? "http-" + status : problem.code();
    }

    public String problemDetail() {
        return problem == null ? "HTTP " + status : problem.detail();
    }

    public Optional<Instant> serverTime() {
        return Optional.ofNullable(serverTime);
    }

    /** Device clock (uncorrected) when the request was sent. */
    public long sentAtMillis() {
        return sentAtMillis;
    }

    /** Device clock (uncorrected) when the answer arrived. */
    public long receivedAtMillis() {
        return receivedAtMillis;
    }
}
