package org.ticketledger.bench.http;

import java.io.IOException;
import java.net.URI;
import org.ticketledger.verify.spi.HttpRequest;
import org.ticketledger.verify.spi.HttpResponse;
import org.ticketledger.verify.spi.HttpTransport;

/**
 * The device SDK's transport over {@link LeanHttp}, one keep-alive connection per calling thread,
 * so that load threads measure the server and not the JDK's URL connection. Thread-safe.
 */
final class LeanTransport implements HttpTransport {

    private final ThreadLocal<LeanHttp> connections;

    LeanTransport(URI base) {
        this.connections = ThreadLocal.withInitial(() -> new LeanHttp(base));
    }

    @Override
    public HttpResponse send(HttpRequest request) throws IOException {
        URI u = request.uri();
        String target = u.getRawPath() + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery());
        LeanHttp.Answer a = connections.get().send(request.method(), target, request.headers(), request.body());
        return new HttpResponse(a.status(), a.headers(), a.body());
    }
}
