package dev.coderd.metrics.exporter;

import dev.coderd.metrics.exporter.webconfig.TlsSettings;
import dev.coderd.metrics.exporter.webconfig.WebConfig;
import java.util.List;

/**
 * What the listener serves under right now: the last valid web-config, and whether the file has turned
 * invalid since (then every path but {@code /-/healthy} answers 500 — never unprotected — while the last
 * valid TLS settings keep the handshake working, so that the 500 can be read).
 */
final class WebState {
    interface Source {
        WebState current();
    }

    static final WebState PLAIN = new WebState(WebConfig.NONE, null);

    final WebConfig config;
    final String invalid; // null when the file is valid

    WebState(WebConfig config, String invalid) {
        this.config = config;
        this.invalid = invalid;
    }

    TlsSettings tls() {
        return config.tls();
    }

    List<String[]> headers() {
        return config.headers();
    }
}
