package dev.coderd.metrics.instrumentation.http.spring;

import dev.coderd.metrics.bridge.http.HttpBridge;
import javax.servlet.http.HttpServletRequest;
import net.bytebuddy.asm.Advice;

/**
 * Inlined into Spring MVC's {@code DispatcherServlet.getHandler(javax.servlet.http.HttpServletRequest)}: once
 * the handler is found, Spring has stored its best-matching pattern on the request; forward it as the route.
 */
public final class JavaxDispatcherAdvice {
    private JavaxDispatcherAdvice() {}

    @Advice.OnMethodExit(suppress = Throwable.class)
    public static void exit(@Advice.Argument(0) HttpServletRequest request) {
        HttpBridge.routeTemplate(request.getAttribute(HttpBridge.SPRING_PATTERN_ATTRIBUTE));
    }
}
