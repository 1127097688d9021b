package org.ticketledger.alipay.internal;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code application/x-www-form-urlencoded} in UTF-8, both ways. Thread-safe. */
public final class FormCodec {

    private FormCodec() {
    }

    /** {@code k=v&k=v}, every key and value URL-encoded. */
    public static String encode(Map<String, String> params) {
        StringBuilder sb = new StringBuilder();
        params.forEach((k, v) -> {
            if (v == null) {
                return;
            }
            if (sb.length() > 0) {
                sb.append('&');
            }
            sb.append(URLEncoder.encode(k, StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(v, StandardCharsets.UTF_8));
        });
        return sb.toString();
    }

    /**
     * The parameters of a form or query string, each decoded once, in order of appearance.
     *
     * @throws IllegalArgumentException on a malformed escape or a key given twice (a repeated
     *                                  parameter is ambiguous, so it is refused rather than guessed)
     */
    public static Map<String, String> decode(String form) {
        Map<String, String> params = new LinkedHashMap<>();
        if (form == null || form.isEmpty()) {
            return params;
        }
        for (String pair : form.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            if (params.putIfAbsent(key, value) != null) {
                throw new IllegalArgumentException("parameter " + key + " is given twice");
            }
        }
        return params;
    }
}
