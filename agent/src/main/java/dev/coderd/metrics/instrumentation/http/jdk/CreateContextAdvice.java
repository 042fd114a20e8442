package dev.coderd.metrics.instrumentation.http.jdk;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpContext;
import dev.coderd.metrics.bridge.http.HttpBridge;
import net.bytebuddy.asm.Advice;

/**
 * Inlined into {@code sun.net.httpserver.ServerImpl.createContext}: puts the agent's filter first on each new
 * context, through the server's own extension point.
 */
public final class CreateContextAdvice {
    private CreateContextAdvice() {}

    @Advice.OnMethodExit(suppress = Throwable.class)
    public static void exit(@Advice.Return HttpContext context) {
        Object filter = HttpBridge.jdkServerFilter();
        if (filter != null) {
            context.getFilters().add(0, (Filter) filter);
        }
    }
}
