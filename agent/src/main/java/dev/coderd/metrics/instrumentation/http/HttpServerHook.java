package dev.coderd.metrics.instrumentation.http;

import dev.coderd.metrics.bridge.http.HttpHook;
import dev.coderd.metrics.http.HttpRecorder;
import dev.coderd.metrics.instrumentation.http.jdk.JdkServerFilter;
import dev.coderd.metrics.instrumentation.http.servlet.AsyncCompletion;

/**
 * What {@link dev.coderd.metrics.bridge.http.HttpBridge} calls: the servlet path and Spring's route go to
 * the {@link HttpRecorder} as they are; an async servlet request gets its completion listener here, and each
 * new JDK server context its {@link JdkServerFilter}.
 */
public final class HttpServerHook implements HttpHook {
    private final HttpRecorder recorder;
    private final AsyncCompletion async;

    public HttpServerHook(HttpRecorder recorder) {
        this.recorder = recorder;
        this.async = new AsyncCompletion(recorder);
    }

    @Override
    public boolean enterDispatch() {
        return recorder.enterDispatch();
    }

    @Override
    public void exitDispatch() {
        recorder.exitDispatch();
    }

    @Override
    public Object startRequest(Object existing, String method, String uri, String servletMapping, String upgrade) {
        return recorder.startRequest(existing, method, uri, servletMapping, upgrade);
    }

    @Override
    public void endDispatch(Object scope, int status, Throwable thrown, Object asyncContext) {
        if (asyncContext == null) {
            recorder.endDispatch(scope, status, thrown);
        } else if (recorder.goAsync(scope) && !async.listen(asyncContext, scope)) {
            recorder.end(scope, status, thrown); // no way to hear the completion: end now rather than leak the gauge
        }
    }

    @Override
    public void routeTemplate(Object template) {
        recorder.routeTemplate(template);
    }

    @Override
    public Object jdkServerFilter() {
        return new JdkServerFilter(recorder);
    }
}
