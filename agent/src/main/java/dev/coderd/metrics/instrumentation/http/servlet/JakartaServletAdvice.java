package dev.coderd.metrics.instrumentation.http.servlet;

import dev.coderd.metrics.bridge.http.HttpBridge;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletMapping;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import net.bytebuddy.asm.Advice;

/**
 * Inlined into {@code jakarta.servlet} servlets and filters (the twin of the other namespace's advice). Reads
 * what the request already has and forwards it to {@link HttpBridge}; every decision is made in the core
 * ({@code HttpRecorder}). Only the outermost dispatch on a thread measures; the request attribute
 * {@link HttpBridge#SCOPE_ATTRIBUTE} makes error pages and async re-dispatches of the same request count once.
 */
public final class JakartaServletAdvice {
    private JakartaServletAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static Object enter(@Advice.Argument(0) ServletRequest request) {
        if (!HttpBridge.enterDispatch() || !(request instanceof HttpServletRequest)) {
            return null;
        }
        HttpServletRequest http = (HttpServletRequest) request;
        Object existing = http.getAttribute(HttpBridge.SCOPE_ATTRIBUTE);
        HttpServletMapping mapping = http.getHttpServletMapping(); // null in some containers' special dispatches
        Object scope = HttpBridge.startRequest(existing, http.getMethod(), http.getRequestURI(),
                mapping == null ? null : mapping.getPattern(), http.getHeader("Upgrade"));
        if (existing == null && scope != null) {
            http.setAttribute(HttpBridge.SCOPE_ATTRIBUTE, scope);
        }
        return scope;
    }

    @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
    public static void exit(@Advice.Enter Object scope, @Advice.Argument(0) ServletRequest request,
                            @Advice.Argument(1) ServletResponse response, @Advice.Thrown Throwable thrown) {
        HttpBridge.exitDispatch();
        if (scope != null) {
            HttpBridge.endDispatch(scope, ((HttpServletResponse) response).getStatus(), thrown,
                    request.isAsyncStarted() ? request.getAsyncContext() : null);
        }
    }
}
