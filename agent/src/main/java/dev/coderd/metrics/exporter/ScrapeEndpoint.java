package dev.coderd.metrics.exporter;

import dev.coderd.metrics.log.AgentLog;
import dev.coderd.metrics.metrics.AgentRegistry;
import dev.coderd.metrics.metrics.RuntimeMetrics;
import io.prometheus.metrics.exporter.common.PrometheusHttpExchange;
import io.prometheus.metrics.exporter.common.PrometheusHttpRequest;
import io.prometheus.metrics.exporter.common.PrometheusHttpResponse;
import io.prometheus.metrics.exporter.common.PrometheusScrapeHandler;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;

/**
 * {@code /metrics}: the Prometheus client's own scrape handler (content negotiation between the Prometheus
 * text format and OpenMetrics, gzip, {@code name[]} filters, {@code ?debug=}), run on our listener, with
 * {@code promhttp_*} counted around it.
 */
final class ScrapeEndpoint implements Endpoint {
    private final PrometheusScrapeHandler handler;
    private final PromHttpMetrics promhttp;
    private final RuntimeMetrics runtime;
    private volatile boolean errorLogged;

    ScrapeEndpoint(AgentRegistry registry, RuntimeMetrics runtime) {
        this.handler = new PrometheusScrapeHandler(registry.properties(), registry.registry());
        this.promhttp = new PromHttpMetrics(registry);
        this.runtime = runtime;
    }

    @Override
    public boolean blocking() {
        return true;
    }

    /** Counted as promhttp counts a scrape refused at its in-flight limit. */
    @Override
    public HttpResponse busy() {
        promhttp.finish(false, 503);
        return HttpResponse.text(503, "too many concurrent scrapes\n").header("Retry-After", "1");
    }

    @Override
    public HttpResponse handle(HttpRequest request) {
        if (!promhttp.begin()) {
            promhttp.finish(false, 503);
            return HttpResponse.text(503, "too many concurrent scrapes\n");
        }
        HttpResponse response;
        try {
            runtime.registerOnce();
            Exchange exchange = new Exchange(request);
            handler.handleRequest(exchange);
            response = exchange.response();
        } catch (IOException | RuntimeException | LinkageError e) {
            if (!errorLogged) {
                errorLogged = true;
                AgentLog.error("a scrape failed (answered 500; later failures are only counted)", e);
            }
            response = HttpResponse.text(500, "error collecting metrics: " + e + "\n");
        }
        promhttp.finish(true, response.status);
        return response;
    }

    /** Adapts one request to the client's exchange interface; the body is buffered, then written at once. */
    private static final class Exchange implements PrometheusHttpExchange, PrometheusHttpRequest, PrometheusHttpResponse {
        private final HttpRequest request;
        private final List<String[]> headers = new ArrayList<>();
        private final ByteArrayOutputStream body = new ByteArrayOutputStream(16 * 1024);
        private int status = 500;

        Exchange(HttpRequest request) {
            this.request = request;
        }

        HttpResponse response() {
            HttpResponse response = new HttpResponse(status, body.toByteArray());
            for (String[] h : headers) {
                response.header(h[0], h[1]);
            }
            return response;
        }

        @Override public PrometheusHttpRequest getRequest() { return this; }
        @Override public PrometheusHttpResponse getResponse() { return this; }
        @Override public void handleException(IOException e) throws IOException { throw e; }
        @Override public void handleException(RuntimeException e) { throw e; }
        @Override public void close() { }

        @Override public String getQueryString() { return request.query; }
        @Override public Enumeration<String> getHeaders(String name) { return Collections.enumeration(request.headers(name)); }
        @Override public String getMethod() { return request.method; }
        @Override public String getRequestPath() { return request.path; }

        @Override
        public void setHeader(String name, String value) {
            if (!name.equalsIgnoreCase("Content-Length")) { // ours is written from the buffered body
                headers.add(new String[] {name, value});
            }
        }

        @Override
        public OutputStream sendHeadersAndGetBody(int statusCode, int contentLength) {
            status = statusCode;
            return body;
        }
    }
}
