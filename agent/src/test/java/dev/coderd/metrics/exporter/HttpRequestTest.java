package dev.coderd.metrics.exporter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class HttpRequestTest {
    private static byte[] bytes(String raw) {
        return raw.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Where the head ends: after the first empty line that follows the request line (CRLF or bare LF). */
    private static int headEnd(String raw) {
        int requestLine = 0;
        while (raw.startsWith("\r\n", requestLine) || raw.startsWith("\n", requestLine)) {
            requestLine += raw.startsWith("\r\n", requestLine) ? 2 : 1; // leading blank lines are skipped
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\r?\n\r?\n").matcher(raw);
        return m.find(requestLine) ? m.end() : -1;
    }

    private static HttpRequest parse(String raw) throws HttpRequest.BadRequest {
        byte[] b = bytes(raw);
        HttpRequest.Scanner scanner = new HttpRequest.Scanner();
        int end = scanner.scan(b, b.length);
        assertThat(end).as("head end of %s", raw).isEqualTo(headEnd(raw));
        return HttpRequest.parseHead(b, end);
    }

    @Test
    void findsTheEndOfAHeadAsBytesArriveAndParsesIt() throws HttpRequest.BadRequest {
        byte[] b = bytes("GET /metrics?name[]=up HTTP/1.1\r\nAccept: text/plain\r\n\r\nGET /next");
        HttpRequest.Scanner scanner = new HttpRequest.Scanner();
        assertThat(scanner.scan(b, 10)).isEqualTo(-1);
        assertThat(scanner.scan(b, 40)).isEqualTo(-1);
        int end = scanner.scan(b, b.length);
        assertThat(end).isEqualTo(55);
        HttpRequest first = HttpRequest.parseHead(b, end);
        assertThat(first.method).isEqualTo("GET");
        assertThat(first.path).isEqualTo("/metrics");
        assertThat(first.query).isEqualTo("name[]=up");
        assertThat(first.header("accept")).isEqualTo("text/plain");
        assertThat(first.keepAlive).isTrue();
        assertThat(first.contentLength).isZero();
    }

    @Test
    void bareLineFeedsAndLeadingBlankLinesAreTolerated() throws HttpRequest.BadRequest {
        HttpRequest r = parse("\r\n\nPOST /x HTTP/1.1\nContent-Length: 5\nConnection: close\n\nhello");
        assertThat(r.method).isEqualTo("POST");
        assertThat(r.contentLength).isEqualTo(5);
        assertThat(r.keepAlive).isFalse();
    }

    @Test
    void http10ClosesUnlessAskedToKeepAlive() throws HttpRequest.BadRequest {
        assertThat(parse("GET / HTTP/1.0\r\n\r\n").keepAlive).isFalse();
        assertThat(parse("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").keepAlive).isTrue();
    }

    @Test
    void badInputIsRefusedWithTheRightStatusAndReason() {
        assertStatus("BREW /pot\r\n\r\n", 400, ListenerMetrics.BAD_REQUEST);
        assertStatus("GET / HTTP/2.0\r\n\r\n", 400, ListenerMetrics.BAD_REQUEST);
        assertStatus("GET / HTTP/1.1\r\nno colon here\r\n\r\n", 400, ListenerMetrics.BAD_REQUEST);
        assertStatus("GET / HTTP/1.1\r\nHost : x\r\n\r\n", 400, ListenerMetrics.BAD_REQUEST);
        assertStatus("GET / HTTP/1.1\r\nA: b\r\n folded\r\n\r\n", 400, ListenerMetrics.BAD_REQUEST);
        assertStatus("GET / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n", 411, ListenerMetrics.LENGTH_REQUIRED);
        assertStatus("POST / HTTP/1.1\r\nContent-Length: 99999999\r\n\r\n", 413, ListenerMetrics.BODY_TOO_LARGE);
        assertStatus("POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\n", 400, ListenerMetrics.BAD_REQUEST);
        assertStatus("POST / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n", 400, ListenerMetrics.BAD_REQUEST);
        assertStatus("GET /" + "a".repeat(HttpRequest.MAX_LINE) + " HTTP/1.1\r\n\r\n", 414, ListenerMetrics.URI_TOO_LONG);
        assertStatus("GET / HTTP/1.1\r\nX: " + "a".repeat(HttpRequest.MAX_LINE) + "\r\n\r\n", 431, ListenerMetrics.HEADERS_TOO_LARGE);
        assertStatus("GET / HTTP/1.1\r\n" + "X: y\r\n".repeat(HttpRequest.MAX_HEADERS + 1) + "\r\n", 431, ListenerMetrics.HEADERS_TOO_LARGE);
        assertStatus("GET / HTTP/1.1\r\n" + ("X: " + "y".repeat(4000) + "\r\n").repeat(5) + "\r\n", 431, ListenerMetrics.HEADERS_TOO_LARGE);
    }

    @Test
    void bytesThatAreNotHttpAreRefusedAtTheFirstOneWithoutWaitingForALineEnd() {
        // a TLS ClientHello starts 0x16 0x03 0x01: refused at byte 0, before the client waits for a ServerHello
        byte[] hello = {0x16, 0x03, 0x01, 0x02, 0x00, 0x01};
        assertThatThrownBy(() -> new HttpRequest.Scanner().scan(hello, hello.length))
                .isInstanceOfSatisfying(HttpRequest.BadRequest.class, e -> assertThat(e.status).isEqualTo(400));
        byte[] binary = {'G', 'E', 0x00};
        assertThatThrownBy(() -> new HttpRequest.Scanner().scan(binary, binary.length))
                .isInstanceOf(HttpRequest.BadRequest.class);
    }

    private static void assertStatus(String raw, int status, String reason) {
        assertThatThrownBy(() -> parse(raw))
                .isInstanceOfSatisfying(HttpRequest.BadRequest.class, e -> {
                    assertThat(e.status).as(raw).isEqualTo(status);
                    assertThat(e.reason).as(raw).isEqualTo(reason);
                });
    }
}
