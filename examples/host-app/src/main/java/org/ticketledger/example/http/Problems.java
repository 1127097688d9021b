package org.ticketledger.example.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.util.Map;

/** Writes problem documents ({@code application/problem+json}). Thread-safe (stateless). */
public final class Problems {

    /** The media type of problem documents. */
    public static final String MEDIA_TYPE = "application/problem+json";

    private Problems() {
    }

    /** Ends {@code ctx} with {@code problem} and the extra {@code headers}. */
    public static void write(Context ctx, Problem problem, Map<String, String> headers) {
        headers.forEach(ctx::header);
        ctx.status(problem.type().status()).contentType(MEDIA_TYPE).result(Json.write(toJson(problem, ctx.path(), RequestIds.of(ctx))));
    }

    /**
     * Whether {@code failure} comes from the database being unreachable (restarting, failing over,
     * pool exhausted): a transient condition the caller should retry, not a bug. Walks the cause
     * chain for JDBC connection failures (SQLSTATE class 08, admin shutdown 57P01-57P03) and
     * connection-pool timeouts.
     */
    public static boolean isDatabaseUnavailable(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLTransientConnectionException || t instanceof SQLNonTransientConnectionException) {
                return true;
            }
            if (t instanceof SQLException s && s.getSQLState() != null
                    && (s.getSQLState().startsWith("08") || s.getSQLState().startsWith("57P0"))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether {@code failure} is the request's own fault at the HTTP level: its body ended early or
     * its framing (chunks, lengths) is broken, so it could not even be read. A 400, not a bug.
     */
    public static boolean isBrokenRequest(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof java.io.EOFException || t instanceof org.eclipse.jetty.http.HttpException) {
                return true;
            }
        }
        return false;
    }

    /** The JSON form of {@code problem}. */
    public static ObjectNode toJson(Problem problem, String instance, String requestId) {
        ObjectNode n = Json.object();
        n.put("type", problem.type().uri().toString());
        n.put("title", problem.type().title());
        n.put("status", problem.type().status());
        n.put("detail", problem.detail());
        n.put("instance", instance);
        n.put("requestId", requestId);
        ArrayNode errors = n.putArray("errors");
        for (FieldError e : problem.errors()) {
            errors.addObject().put("pointer", e.pointer()).put("detail", e.detail());
        }
        return n;
    }
}
