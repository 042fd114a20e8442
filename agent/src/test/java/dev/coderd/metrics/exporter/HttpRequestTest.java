package dev.coderd.metrics.exporter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class HttpRequestTest {
    private static InputStream in(String raw) {
        return new ByteArrayInputStream(raw.getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void readsKeepAliveRequestsOneAfterAnother() throws IOException {
        InputStream in = in("GET /metrics?name[]=up HTTP/1.1\r\nAccept: text/plain\r\n\r\n"
                + "POST /x HTTP/1.1\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello");
        HttpRequest first = HttpRequest.read(in);
        assertThat(first.method).isEqualTo("GET");
        assertThat(first.path).isEqualTo("/metrics");
        assertThat(first.query).isEqualTo("name[]=up");
        assertThat(first.header("accept")).isEqualTo("text/plain");
        assertThat(first.keepAlive).isTrue();
        HttpRequest second = HttpRequest.read(in);
        assertThat(new String(second.body, StandardCharsets.UTF_8)).isEqualTo("hello");
        assertThat(second.keepAlive).isFalse();
        assertThat(HttpRequest.read(in)).isNull();
    }

    @Test
    void http10ClosesUnlessAskedToKeepAlive() throws IOException {
        assertThat(HttpRequest.read(in("GET / HTTP/1.0\r\n\r\n")).keepAlive).isFalse();
        assertThat(HttpRequest.read(in("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")).keepAlive).isTrue();
    }

    @Test
    void badInputIsRefusedWithTheRightStatus() {
        assertStatus("BREW /pot\r\n\r\n", 400);
        assertStatus("GET / HTTP/1.1\r\nno colon here\r\n\r\n", 400);
        assertStatus("GET / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n", 411);
        assertStatus("POST / HTTP/1.1\r\nContent-Length: 99999999\r\n\r\n", 413);
        assertStatus("POST / HTTP/1.1\r\nContent-Length: 10\r\n\r\nshort", 400);
        assertStatus("GET /" + "a".repeat(HttpRequest.MAX_LINE) + " HTTP/1.1\r\n\r\n", 414);
        assertStatus("GET / HTTP/1.1\r\n" + "X: y\r\n".repeat(HttpRequest.MAX_HEADERS + 1) + "\r\n", 431);
        assertStatus("GET / HTTP/1.1\r\nHost: x", 400);
    }

    private static void assertStatus(String raw, int status) {
        assertThatThrownBy(() -> HttpRequest.read(in(raw)))
                .isInstanceOfSatisfying(HttpRequest.BadRequest.class, e -> assertThat(e.status).isEqualTo(status));
    }
}
