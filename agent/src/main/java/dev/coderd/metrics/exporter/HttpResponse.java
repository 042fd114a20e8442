package dev.coderd.metrics.exporter;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** A complete response, serialised with its {@code Content-Length} into one buffer that the listener writes. */
final class HttpResponse {
    final int status;
    final byte[] body;
    private final List<String[]> headers = new ArrayList<>();

    HttpResponse(int status, byte[] body) {
        this.status = status;
        this.body = body;
    }

    static HttpResponse text(int status, String text) {
        return new HttpResponse(status, text.getBytes(StandardCharsets.UTF_8))
                .header("Content-Type", "text/plain; charset=utf-8");
    }

    HttpResponse header(String name, String value) {
        headers.add(new String[] {name, value});
        return this;
    }

    /** The bytes on the wire: status line, headers (then {@code extra}, the web-config's), and the body unless HEAD. */
    byte[] serialize(boolean withBody, boolean keepAlive, List<String[]> extra) {
        StringBuilder head = new StringBuilder(256)
                .append("HTTP/1.1 ").append(status).append(' ').append(reason(status)).append("\r\n");
        for (String[] h : headers) {
            head.append(h[0]).append(": ").append(h[1]).append("\r\n");
        }
        for (String[] h : extra) {
            head.append(h[0]).append(": ").append(h[1]).append("\r\n");
        }
        head.append("Content-Length: ").append(body.length).append("\r\n");
        if (!keepAlive) {
            head.append("Connection: close\r\n");
        }
        head.append("\r\n");
        byte[] headBytes = head.toString().getBytes(StandardCharsets.ISO_8859_1);
        if (!withBody || body.length == 0) {
            return headBytes;
        }
        byte[] all = new byte[headBytes.length + body.length];
        System.arraycopy(headBytes, 0, all, 0, headBytes.length);
        System.arraycopy(body, 0, all, headBytes.length, body.length);
        return all;
    }

    static String reason(int status) {
        switch (status) {
            case 200: return "OK";
            case 202: return "Accepted";
            case 400: return "Bad Request";
            case 401: return "Unauthorized";
            case 403: return "Forbidden";
            case 404: return "Not Found";
            case 405: return "Method Not Allowed";
            case 408: return "Request Timeout";
            case 411: return "Length Required";
            case 413: return "Content Too Large";
            case 414: return "URI Too Long";
            case 429: return "Too Many Requests";
            case 431: return "Request Header Fields Too Large";
            case 500: return "Internal Server Error";
            case 503: return "Service Unavailable";
            default: return "Status";
        }
    }
}
