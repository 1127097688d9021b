package org.ticketledger.example.ops;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.LayoutBase;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Map;
import org.slf4j.event.KeyValuePair;

/**
 * One JSON object per log line: {@code ts}, {@code level}, {@code logger}, {@code thread},
 * {@code msg}, then the MDC (request id, principal) and the event's key-value pairs as top-level
 * fields, then {@code error} with the stack trace. Meant for log shippers; the human-readable
 * pattern layout stays available with {@code TL_LOG_FORMAT=text}. Thread-safe.
 */
public final class JsonLayout extends LayoutBase<ILoggingEvent> {

    private static final JsonFactory FACTORY = new JsonFactory();

    @Override
    public String doLayout(ILoggingEvent event) {
        StringWriter w = new StringWriter(256);
        try (JsonGenerator g = FACTORY.createGenerator(w)) {
            g.writeStartObject();
            g.writeStringField("ts", Instant.ofEpochMilli(event.getTimeStamp()).toString());
            g.writeStringField("level", event.getLevel().toString());
            g.writeStringField("logger", event.getLoggerName());
            g.writeStringField("thread", event.getThreadName());
            g.writeStringField("msg", event.getFormattedMessage());
            Map<String, String> mdc = event.getMDCPropertyMap();
            if (mdc != null) {
                for (Map.Entry<String, String> e : mdc.entrySet()) {
                    g.writeStringField(e.getKey(), e.getValue());
                }
            }
            if (event.getKeyValuePairs() != null) {
                for (KeyValuePair kv : event.getKeyValuePairs()) {
                    g.writeFieldName(kv.key);
                    if (kv.value instanceof Number n && (n instanceof Long || n instanceof Integer)) {
                        g.writeNumber(n.longValue());
                    } else if (kv.value instanceof Boolean b) {
                        g.writeBoolean(b);
                    } else {
                        g.writeString(String.valueOf(kv.value));
                    }
                }
            }
            IThrowableProxy t = event.getThrowableProxy();
            if (t != null) {
                g.writeStringField("error", ThrowableProxyUtil.asString(t));
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w.append(CoreConstants.LINE_SEPARATOR).toString();
    }

    @Override
    public String getContentType() {
        return "application/json";
    }
}
