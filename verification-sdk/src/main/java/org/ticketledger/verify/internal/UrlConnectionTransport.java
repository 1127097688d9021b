package org.ticketledger.verify.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URLConnection;
import java.util.Collections;
import java.util.Map;
import org.ticketledger.verify.spi.HttpRequest;
import org.ticketledger.verify.spi.HttpResponse;
import org.ticketledger.verify.spi.HttpTransport;

/**
 * The default {@link HttpTransport} on {@link HttpURLConnection} (present on every JRE and
 * Android). The request timeout bounds the connect and each read separately. Not API. Thread-safe.
 */
public final class UrlConnectionTransport implements HttpTransport {

    private final int maxBodyBytes;

    public UrlConnectionTransport(int maxBodyBytes) {
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    public HttpResponse send(HttpRequest request) throws IOException {
        URLConnection raw = request.uri().toURL().openConnection();
        if (!(raw instanceof HttpURLConnection)) {
            throw new IOException("not an HTTP URL: " + request.uri().getScheme());
        }
        HttpURLConnection c = (HttpURLConnection) raw;
        int timeout = (int) Math.min(Integer.MAX_VALUE, Math.max(1, request.timeout().toMillis()));
        c.setConnectTimeout(timeout);
        c.setReadTimeout(timeout);
        c.setInstanceFollowRedirects(false);
        c.setUseCaches(false);
        c.setRequestMethod(request.method());
        for (Map.Entry<String, String> h : request.headers().entrySet()) {
            c.setRequestProperty(h.getKey(), h.getValue());
        }
        InputStream in = null;
        try {
            if (request.bodyLength() > 0 || "POST".equals(request.method())) {
                byte[] body = request.body();
                c.setDoOutput(true);
                // No fixed-length streaming: in streaming mode HttpURLConnection turns a 401 into an
                // HttpRetryException and loses the problem body. Device API bodies are small.
                try (OutputStream out = c.getOutputStream()) {
                    out.write(body);
                }
            }
            int status = c.getResponseCode();
            if (status < 100) {
                throw new IOException("no valid HTTP status line");
            }
            in = status >= 400 ? c.getErrorStream() : c.getInputStream();
            byte[] body = in == null ? new byte[0] : readLimited(in);
            Map<String, java.util.List<String>> headers = c.getHeaderFields();
            return new HttpResponse(status, headers == null ? Collections.<String, java.util.List<String>>emptyMap() : headers, body);
        } catch (IOException e) {
            c.disconnect(); // a half-read connection must not go back to the keep-alive pool
            throw e;
        } finally {
            if (in != null) {
                in.close();
            }
        }
    }

    private byte[] readLimited(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
        byte[] buffer = new byte[8192];
        int n;
        while ((n = in.read(buffer)) != -1) {
            if (out.size() + n > maxBodyBytes) {
                throw new IOException("response body larger than " + maxBodyBytes + " bytes");
            }
            out.write(buffer, 0, n);
        }
        return out.toByteArray();
    }
}
