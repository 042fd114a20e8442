package dev.coderd.metrics.exporter.webconfig;

import java.util.ArrayList;
import java.util.List;

/**
 * One valid reading of the web-config file: TLS (or none), basic-auth users (or none), the extra response
 * headers, a rate limit (or none). Immutable but for the rate limit's bucket, which only the listener's
 * thread touches.
 */
public final class WebConfig {
    /** No file: plain HTTP, no authentication. */
    public static final WebConfig NONE = new WebConfig(null, null, List.of(), null);

    private final TlsSettings tls;
    private final BasicAuth auth;
    private final List<String[]> headers;
    private final RateLimit rateLimit;

    WebConfig(TlsSettings tls, BasicAuth auth, List<String[]> headers, RateLimit rateLimit) {
        this.tls = tls;
        this.auth = auth;
        this.headers = headers;
        this.rateLimit = rateLimit;
    }

    /** Null for plain HTTP. */
    public TlsSettings tls() {
        return tls;
    }

    /** Null when no user is configured: no authentication. */
    public BasicAuth auth() {
        return auth;
    }

    /** {name, value} pairs added to every response. */
    public List<String[]> headers() {
        return headers;
    }

    /** Null without {@code rate_limit}. */
    public RateLimit rateLimit() {
        return rateLimit;
    }

    /** What an operator reads in the log: {@code TLS [TLSv1.2, TLSv1.3], basic auth (2 users)}. */
    @Override
    public String toString() {
        List<String> parts = new ArrayList<>();
        parts.add(tls == null ? "plain HTTP" : tls.toString());
        if (auth != null) {
            parts.add("basic auth (" + auth.size() + (auth.size() == 1 ? " user)" : " users)"));
        }
        if (!headers.isEmpty()) {
            parts.add(headers.size() + (headers.size() == 1 ? " response header" : " response headers"));
        }
        if (rateLimit != null) {
            parts.add(rateLimit.toString());
        }
        return String.join(", ", parts);
    }
}
