package dev.coderd.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A fixed closed-loop load from this process: {@code clients} threads, each sending the next request when the
 * last one answered, for a fixed time. Latencies go into preallocated arrays (no allocation per request
 * beyond the HTTP client's own).
 */
final class Load {
    static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    /** What one load run measured. */
    record Result(long requests, long failures, double seconds, double p50Micros, double p99Micros) {
        double throughput() {
            return requests / seconds;
        }
    }

    private Load() {}

    static Result run(String url, int clients, Duration duration) throws InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build();
        long[][] latencies = new long[clients][2_000_000];
        int[] counts = new int[clients];
        long[] failures = new long[clients];
        AtomicBoolean stop = new AtomicBoolean();
        Thread[] threads = new Thread[clients];
        for (int c = 0; c < clients; c++) {
            int me = c;
            threads[c] = new Thread(() -> {
                while (!stop.get()) {
                    long start = System.nanoTime();
                    try {
                        int status = CLIENT.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
                        if (status >= 400) {
                            failures[me]++;
                        }
                    } catch (IOException | InterruptedException e) {
                        failures[me]++;
                    }
                    if (counts[me] < latencies[me].length) {
                        latencies[me][counts[me]++] = System.nanoTime() - start;
                    }
                }
            }, "load-" + c);
        }
        long begin = System.nanoTime();
        for (Thread t : threads) {
            t.start();
        }
        Thread.sleep(duration.toMillis());
        stop.set(true);
        for (Thread t : threads) {
            t.join();
        }
        double seconds = (System.nanoTime() - begin) / 1e9;
        long total = 0;
        long failed = 0;
        for (int c = 0; c < clients; c++) {
            total += counts[c];
            failed += failures[c];
        }
        long[] all = new long[(int) total];
        int at = 0;
        for (int c = 0; c < clients; c++) {
            System.arraycopy(latencies[c], 0, all, at, counts[c]);
            at += counts[c];
        }
        Arrays.sort(all);
        return new Result(total, failed, seconds, percentile(all, 0.50) / 1e3, percentile(all, 0.99) / 1e3);
    }

    private static double percentile(long[] sorted, double q) {
        return sorted.length == 0 ? Double.NaN : sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)];
    }

    /** Sends one GET and returns its status, or -1 when nothing answered. */
    static int get(String url) {
        try {
            return CLIENT.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** One GET's body and its time in milliseconds. */
    static String[] timedBody(String url) throws IOException, InterruptedException {
        long start = System.nanoTime();
        String body = CLIENT.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        return new String[] {body, Double.toString((System.nanoTime() - start) / 1e6)};
    }
}
