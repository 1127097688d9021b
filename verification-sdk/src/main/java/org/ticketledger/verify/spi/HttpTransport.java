package org.ticketledger.verify.spi;

import java.io.IOException;
import org.ticketledger.verify.internal.UrlConnectionTransport;

/**
 * Sends one HTTP request and returns the answer, whatever its status. The SDK never uses
 * {@code java.net.http} (Android lacks it); the default runs on {@code HttpURLConnection} and an
 * integrator may plug in OkHttp or a platform client instead.
 *
 * <p>Contract: return any HTTP answer (including 4xx/5xx) as an {@link HttpResponse}; throw
 * {@link IOException} only when no answer arrived (connect failure, timeout, reset). Do not follow
 * redirects, do not retry, do not cache. Implementations must be thread-safe.
 */
public interface HttpTransport {

    /** Sends the request; throws IOException when no complete answer arrived. */
    HttpResponse send(HttpRequest request) throws IOException;

    /** The default transport on {@code HttpURLConnection}; bodies over 4 MiB are refused. */
    static HttpTransport urlConnection() {
        return new UrlConnectionTransport(4 * 1024 * 1024);
    }
}
