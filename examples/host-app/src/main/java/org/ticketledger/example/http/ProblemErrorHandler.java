package org.ticketledger.example.http;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's own error answers — for requests that never reach a route because HTTP itself is broken
 * (a malformed request line or header, an invalid or ambiguous URI, headers too large) — as problem
 * documents like every other error, instead of Jetty's HTML page. Never shows a stack trace.
 * Thread-safe (stateless).
 */
public final class ProblemErrorHandler extends ErrorHandler {

    public ProblemErrorHandler() {
        setShowStacks(false);
        setShowCauses(false);
        setShowOrigin(false);
    }

    static ProblemType typeOf(int status) {
        return switch (status) {
            case 404 -> ProblemType.NOT_FOUND;
            case 405 -> ProblemType.METHOD_NOT_ALLOWED;
            case 413 -> ProblemType.PAYLOAD_TOO_LARGE;
            case 415 -> ProblemType.UNSUPPORTED_MEDIA_TYPE;
            case 431 -> ProblemType.HEADERS_TOO_LARGE;
            // "HTTP/9.9": the client's request is malformed; a 5xx would blame the server.
            case 505 -> ProblemType.BAD_REQUEST;
            default -> status >= 500 ? ProblemType.INTERNAL_ERROR : ProblemType.BAD_REQUEST;
        };
    }

    private static byte[] body(int status, String path, String requestId) {
        ProblemType type = typeOf(status);
        String detail = status >= 500 ? "an internal error occurred" : "the HTTP request is malformed: " + type.title().toLowerCase(java.util.Locale.ROOT);
        return Json.write(Problems.toJson(Problem.of(type, detail), path, requestId)).getBytes(StandardCharsets.UTF_8);
    }

    /** Answers whose status Jetty decided; the status line keeps it, so the problem's type must match it. */
    private static int statusOf(int status) {
        ProblemType t = typeOf(status);
        return t.status();
    }

    /** Every method gets its problem document (Jetty's default: GET, POST and HEAD only). */
    @Override
    public boolean errorPageForMethod(String method) {
        return true;
    }

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
                                    Callback callback) {
        int status = statusOf(code);
        String requestId = RequestIds.generate();
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, Problems.MEDIA_TYPE);
        response.getHeaders().put(RequestIds.HEADER, requestId);
        response.write(true, ByteBuffer.wrap(body(status, request.getHttpURI() == null ? "" : safePath(request), requestId)), callback);
    }

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        String requestId = RequestIds.generate();
        fields.put(new HttpField(HttpHeader.CONTENT_TYPE, Problems.MEDIA_TYPE));
        fields.put(RequestIds.HEADER, requestId);
        return ByteBuffer.wrap(body(statusOf(status), "", requestId));
    }

    private static String safePath(Request request) {
        try {
            String p = request.getHttpURI().getPath();
            // Jetty files requests it could not parse under a made-up path; there is no real one.
            return p == null || p.equals("/badMessage") ? "" : p;
        } catch (RuntimeException e) {
            return "";
        }
    }
}
