package dev.coderd.metrics.instrumentation.http.spring;

import dev.coderd.metrics.bridge.http.HttpBridge;
import net.bytebuddy.asm.Advice;

/**
 * Inlined into Spring MVC's {@code AbstractUrlHandlerMapping.exposePathWithinMapping(String, String, request)}
 * (both namespaces: the request is not read). URL-mapped handlers ({@code SimpleUrlHandlerMapping}, Spring's
 * websocket {@code WebSocketHandler} registrations) get their best-matching pattern stored on the request by an
 * interceptor that runs after {@code DispatcherServlet.getHandler} returned, so the dispatcher advice never
 * sees it; this is where Spring stores it, before the handler runs.
 */
public final class UrlPatternAdvice {
    private UrlPatternAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(@Advice.Argument(0) String bestMatchingPattern) {
        HttpBridge.routeTemplate(bestMatchingPattern);
    }
}
