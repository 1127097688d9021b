package org.ticketledger.bench.http;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A minimal HTTP/1.1 client on one keep-alive connection, for load generators: it writes the
 * request in one go and reads the status, the headers it needs and a Content-Length or chunked
 * body, and costs the client side next to nothing (the JDK's client spends more CPU per request
 * than the server's routing). Not thread-safe: one per load thread; reconnects after a failure.
 */
public final class LeanHttp implements AutoCloseable {

    /** An answer: status, headers (names as sent) and body. */
    public record Answer(int status, Map<String, List<String>> headers, byte[] body) {
        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private final String host;
    private final int port;
    private Socket socket;
    private InputStream in;
    private OutputStream out;

    public LeanHttp(URI base) {
        this.host = base.getHost();
        this.port = base.getPort();
    }

    /** Sends one request and reads its answer; {@code body} may be empty. */
    public Answer send(String method, String pathAndQuery, Map<String, String> headers, byte[] body) throws IOException {
        if (socket == null) {
            connect();
        }
        StringBuilder sb = new StringBuilder(512);
        sb.append(method).append(' ').append(pathAndQuery).append(" HTTP/1.1\r\nHost: ").append(host).append(':').append(port)
                .append("\r\n");
        headers.forEach((k, v) -> sb.append(k).append(": ").append(v).append("\r\n"));
        if (body.length > 0 || method.equals("POST") || method.equals("PUT")) {
            sb.append("Content-Length: ").append(body.length).append("\r\n");
        }
        sb.append("\r\n");
        byte[] head = sb.toString().getBytes(StandardCharsets.UTF_8);
        byte[] all = new byte[head.length + body.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(body, 0, all, head.length, body.length);
        try {
            out.write(all);
            out.flush();
            return read();
        } catch (IOException e) {
            close();
            throw e;
        }
    }

    private void connect() throws IOException {
        socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(30_000);
        socket.connect(new InetSocketAddress(host, port), 5_000);
        in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
        out = socket.getOutputStream();
    }

    private Answer read() throws IOException {
        String status = line();
        if (!status.startsWith("HTTP/1.1 ")) {
            throw new IOException("not an HTTP answer: " + status);
        }
        int code = Integer.parseInt(status.substring(9, 12));
        long length = -1;
        boolean chunked = false;
        Map<String, List<String>> headers = new LinkedHashMap<>();
        boolean close = false;
        String l;
        while (!(l = line()).isEmpty()) {
            int colon = l.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String name = l.substring(0, colon).trim();
            String value = l.substring(colon + 1).trim();
            headers.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
            if (name.equalsIgnoreCase("Content-Length")) {
                length = Long.parseLong(value);
            } else if (name.equalsIgnoreCase("Transfer-Encoding") && value.equalsIgnoreCase("chunked")) {
                chunked = true;
            } else if (name.equalsIgnoreCase("Connection") && value.equalsIgnoreCase("close")) {
                close = true;
            }
        }
        byte[] body;
        if (chunked) {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            while (true) {
                int size = Integer.parseInt(line().trim(), 16);
                if (size == 0) {
                    line();
                    break;
                }
                b.write(in.readNBytes(size));
                line();
            }
            body = b.toByteArray();
        } else {
            body = length < 0 ? new byte[0] : in.readNBytes((int) length);
        }
        if (close) {
            close();
        }
        return new Answer(code, headers, body);
    }

    private String line() throws IOException {
        StringBuilder sb = new StringBuilder(64);
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\n') {
                int n = sb.length();
                return n > 0 && sb.charAt(n - 1) == '\r' ? sb.substring(0, n - 1) : sb.toString();
            }
            sb.append((char) c);
        }
        throw new IOException("connection closed");
    }

    @Override
    public void close() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException e) {
                // closing anyway
            }
            socket = null;
        }
    }
}
