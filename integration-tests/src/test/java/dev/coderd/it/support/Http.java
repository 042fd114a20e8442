package dev.coderd.it.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** A small HTTP client for the tests: GET, POST, scrape. */
public final class Http {
    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER)
            .version(HttpClient.Version.HTTP_1_1)
            .build();

    private Http() {}

    public static HttpResponse<String> get(String url, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return send(b.build());
    }

    public static CompletableFuture<HttpResponse<String>> getAsync(String url) {
        return CLIENT.sendAsync(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** {@code method} (PUT, DELETE, ...) with no body. */
    public static HttpResponse<String> send(String method, String url) {
        return send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .method(method, HttpRequest.BodyPublishers.noBody()).build());
    }

    public static HttpResponse<String> post(String url, String json) {
        return send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    /**
     * One GET on a fresh socket, never retried, returning the status code or -1 when the server closed the
     * connection without answering. (The JDK client silently retries a GET whose connection was closed, which
     * would make a server that drops the connection look like it got two requests.)
     */
    public static int rawStatus(int port, String path, String... headers) {
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
            s.setSoTimeout(30_000);
            StringBuilder request = new StringBuilder("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n");
            for (int i = 0; i < headers.length; i += 2) {
                request.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
            }
            s.getOutputStream().write(request.append("\r\n").toString().getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(s.getInputStream(), java.nio.charset.StandardCharsets.ISO_8859_1));
            String statusLine = in.readLine();
            while (in.read() >= 0) {
                // drain, so the server finishes writing before the socket closes
            }
            return statusLine == null ? -1 : Integer.parseInt(statusLine.split(" ")[1]);
        } catch (java.net.SocketException closed) {
            return -1;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Whether anything accepts connections on the port. */
    public static boolean listening(int port) {
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException refused) {
            return false;
        }
    }

    /** GET {@code http://127.0.0.1:port/metrics}, asserting a 200, parsed. */
    /**
     * Scrapes until {@code condition} holds, for at most 10 s, and answers the last scrape (which the caller
     * asserts on: a condition that never held fails there, with the values seen).
     */
    public static Exposition awaitScrape(int port, java.util.function.Predicate<Exposition> condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        Exposition m = scrape(port);
        while (!condition.test(m) && System.nanoTime() < deadline) {
            Thread.sleep(50);
            m = scrape(port);
        }
        return m;
    }

    public static Exposition scrape(int port) {
        HttpResponse<String> r = get("http://127.0.0.1:" + port + "/metrics");
        if (r.statusCode() != 200) {
            throw new IllegalStateException("scrape answered " + r.statusCode() + ": " + r.body());
        }
        return Exposition.parse(r.body());
    }

    private static HttpResponse<String> send(HttpRequest request) {
        try {
            return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(request.uri().toString(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
