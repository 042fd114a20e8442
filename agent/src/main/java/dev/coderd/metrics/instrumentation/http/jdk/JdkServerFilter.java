package dev.coderd.metrics.instrumentation.http.jdk;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;
import dev.coderd.metrics.bridge.AgentThread;
import dev.coderd.metrics.http.HttpRecorder;
import java.io.IOException;

/**
 * Measures one exchange of a JDK HTTP server context. The route is a configured template or the context's
 * path (its root {@code /} is a catch-all, not a route). An exchange whose handler throws, or returns without
 * sending a response, counts as {@code 500}.
 */
public final class JdkServerFilter extends Filter {
    private final HttpRecorder recorder;

    public JdkServerFilter(HttpRecorder recorder) {
        this.recorder = recorder;
    }

    @Override
    public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
        if (AgentThread.current()) {
            chain.doFilter(exchange); // never measure ourselves
            return;
        }
        Object scope = null;
        try {
            if (recorder.enterDispatch()) {
                scope = recorder.startRequest(null, exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                        exchange.getHttpContext().getPath(), exchange.getRequestHeaders().getFirst("Upgrade"));
            }
        } catch (RuntimeException e) {
            scope = null; // measuring must never fail the exchange
        }
        Throwable thrown = null;
        try {
            chain.doFilter(exchange);
        } catch (IOException | RuntimeException | Error e) {
            thrown = e;
            throw e;
        } finally {
            try {
                recorder.exitDispatch();
                if (scope != null) {
                    int status = exchange.getResponseCode();
                    recorder.endDispatch(scope, status < 100 ? 500 : status, thrown);
                }
            } catch (RuntimeException ignored) {
                // as above
            }
        }
    }

    @Override
    public String description() {
        return "coderd-metrics-agent: coderd_api_* metrics";
    }
}
