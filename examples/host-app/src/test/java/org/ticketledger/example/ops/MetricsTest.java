package org.ticketledger.example.ops;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MetricsTest {

    @Test
    void rendersCountersAndCumulativeHistogramsInPrometheusTextFormat() {
        Metrics m = new Metrics();
        m.recordRequest("POST", "/distributor/v1/ping", 200, 2_000_000L);   // 2 ms
        m.recordRequest("POST", "/distributor/v1/ping", 200, 700_000_000L); // 0.7 s
        m.recordRequest("GET", "/health", 503, 100L);
        String text = m.scrape();
        assertThat(text)
                .contains("# TYPE tl_http_requests_total counter\n")
                .contains("tl_http_requests_total{method=\"POST\",route=\"/distributor/v1/ping\",status=\"200\"} 2\n")
                .contains("tl_http_requests_total{method=\"GET\",route=\"/health\",status=\"503\"} 1\n")
                .contains("tl_http_request_duration_seconds_bucket{method=\"POST\",route=\"/distributor/v1/ping\",status=\"200\",le=\"0.001\"} 0\n")
                .contains("tl_http_request_duration_seconds_bucket{method=\"POST\",route=\"/distributor/v1/ping\",status=\"200\",le=\"0.0025\"} 1\n")
                .contains("tl_http_request_duration_seconds_bucket{method=\"POST\",route=\"/distributor/v1/ping\",status=\"200\",le=\"0.5\"} 1\n")
                .contains("tl_http_request_duration_seconds_bucket{method=\"POST\",route=\"/distributor/v1/ping\",status=\"200\",le=\"1\"} 2\n")
                .contains("tl_http_request_duration_seconds_bucket{method=\"POST\",route=\"/distributor/v1/ping\",status=\"200\",le=\"+Inf\"} 2\n")
                .contains("tl_http_request_duration_seconds_sum{method=\"POST\",route=\"/distributor/v1/ping\",status=\"200\"} 0.702000000\n")
                .contains("tl_http_request_duration_seconds_count{method=\"POST\",route=\"/distributor/v1/ping\",status=\"200\"} 2\n");
        assertThat(m.count("POST", "/distributor/v1/ping", 200)).isEqualTo(2);
    }

    @Test
    void gaugesAreReadAtScrapeAndAFailingGaugeIsLeftOut() {
        Metrics m = new Metrics();
        long[] v = {3};
        m.gauge("tl_test_gauge", "A test gauge", () -> v[0]);
        m.gauge("tl_broken_gauge", "Throws", () -> {
            throw new IllegalStateException("down");
        });
        v[0] = 5;
        assertThat(m.scrape()).contains("# TYPE tl_test_gauge gauge\ntl_test_gauge 5\n").doesNotContain("tl_broken_gauge");
    }

    @Test
    void labelValuesAreEscaped() {
        Metrics m = new Metrics();
        m.recordRequest("GET", "/a\"b\\c", 200, 1);
        assertThat(m.scrape()).contains("route=\"/a\\\"b\\\\c\"");
    }
}
