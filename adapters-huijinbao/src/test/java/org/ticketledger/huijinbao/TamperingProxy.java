package org.ticketledger.huijinbao;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.ticketledger.huijinbao.internal.Signing;

/**
 * A man in the middle on loopback: forwards every request to the sandbox unchanged and lets a
 * test rewrite the reply (status, signature headers, body) before the client sees it.
 */
final class TamperingProxy implements AutoCloseable {

    /** A reply in flight, with the request it answers. */
    record Exchange(String method, String target, String requestNonce, int status, Map<String, String> headers,
                    byte[] body) {
        Exchange with(int newStatus, Map<String, String> newHeaders, byte[] newBody) {
            return new Exchange(method, target, requestNonce, newStatus, newHeaders, newBody);
        }
    }

    /** Rewrites a reply. */
    interface Tamper {
        Exchange apply(Exchange genuine);
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(4);
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private volatile Tamper tamper = e -> e;

    TamperingProxy(URI upstream) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.setExecutor(executor);
        server.createContext("/", ex -> forward(ex, upstream));
        server.start();
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    void tamper(Tamper t) {
        this.tamper = t;
    }

    private void forward(HttpExchange ex, URI upstream) throws IOException {
        try {
            byte[] body = ex.getRequestBody().readAllBytes();
            String target = ex.getRequestURI().getRawPath();
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(upstream + target));
            for (String h : new String[] {Signing.KEY_ID, Signing.TIMESTAMP, Signing.NONCE, Signing.SIGNATURE, "Content-Type"}) {
                String v = ex.getRequestHeaders().getFirst(h);
                if (v != null) {
                    b.header(h, v);
                }
            }
            b.method(ex.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(body));
            HttpResponse<byte[]> resp = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
            Map<String, String> headers = new LinkedHashMap<>();
            for (String h : new String[] {Signing.KEY_ID, Signing.TIMESTAMP, Signing.NONCE, Signing.SIGNATURE}) {
                resp.headers().firstValue(h).ifPresent(v -> headers.put(h, v));
            }
            Exchange out = tamper.apply(new Exchange(ex.getRequestMethod(), target,
                    ex.getRequestHeaders().getFirst(Signing.NONCE), resp.statusCode(), headers, resp.body()));
            out.headers().forEach((k, v) -> ex.getResponseHeaders().set(k, v));
            ex.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
            ex.sendResponseHeaders(out.status(), out.body().length == 0 ? -1 : out.body().length);
            try (OutputStream os = ex.getResponseBody()) {
                os.write(out.body());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            ex.close();
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
