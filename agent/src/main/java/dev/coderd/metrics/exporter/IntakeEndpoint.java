package dev.coderd.metrics.exporter;

import dev.coderd.metrics.metrics.WorkspaceMetrics;
import dev.coderd.metrics.workspace.BadBundle;
import dev.coderd.metrics.workspace.Bundle;
import dev.coderd.metrics.workspace.BundleParser;
import dev.coderd.metrics.workspace.WorkspaceAggregator;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * {@code POST /v1/workspace-metrics}: a workspace agent's bundle, authenticated by the intake token, parsed and
 * validated on a worker thread, then queued for the aggregator.
 *
 * <pre>
 * POST /v1/workspace-metrics
 * Authorization: Bearer &lt;token&gt;     (or X-Coder-Metrics-Token: &lt;token&gt; when Authorization carries basic auth)
 * → 202 accepted | 400 the first bad field | 401 no token | 403 a wrong token | 413 over 1 MiB | 503 queue full
 * </pre>
 *
 * The token is compared in constant time (SHA-256 digests, {@link MessageDigest#isEqual}), so neither its
 * content nor its length leaks through timing.
 */
final class IntakeEndpoint implements Endpoint {
    static final String PATH = "/v1/workspace-metrics";
    static final String TOKEN_HEADER = "X-Coder-Metrics-Token";

    private final byte[] tokenDigest;
    private final WorkspaceAggregator aggregator;
    private final WorkspaceMetrics metrics;

    IntakeEndpoint(String token, WorkspaceAggregator aggregator, WorkspaceMetrics metrics) {
        this.tokenDigest = digest(token);
        this.aggregator = aggregator;
        this.metrics = metrics;
    }

    @Override
    public boolean blocking() {
        return true; // parsing up to 1 MiB of JSON is not the loop's work
    }

    @Override
    public String allow() {
        return "POST";
    }

    @Override
    public HttpResponse busy() {
        metrics.bundles(WorkspaceMetrics.QUEUE_FULL);
        return HttpResponse.text(503, "the intake is busy; try again\n").header("Retry-After", "1");
    }

    @Override
    public HttpResponse handle(HttpRequest request) {
        String token = token(request);
        if (token == null) {
            metrics.bundles(WorkspaceMetrics.UNAUTHORIZED);
            return HttpResponse.text(401, "missing bearer token\n").header("WWW-Authenticate", "Bearer");
        }
        if (!MessageDigest.isEqual(tokenDigest, digest(token))) {
            metrics.bundles(WorkspaceMetrics.FORBIDDEN);
            return HttpResponse.text(403, "invalid token\n");
        }
        Bundle bundle;
        try {
            bundle = BundleParser.parse(request.body);
        } catch (BadBundle e) {
            metrics.bundles(WorkspaceMetrics.BAD_REQUEST);
            return HttpResponse.text(400, e.getMessage() + "\n");
        }
        if (!aggregator.offer(bundle)) {
            return HttpResponse.text(503, "the intake queue is full; try again\n").header("Retry-After", "1");
        }
        return HttpResponse.text(202, "accepted\n");
    }

    private static String token(HttpRequest request) {
        String authorization = request.header("Authorization");
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return authorization.substring(7).trim();
        }
        return request.header(TOKEN_HEADER);
    }

    private static byte[] digest(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e); // every JDK has SHA-256
        }
    }
}
