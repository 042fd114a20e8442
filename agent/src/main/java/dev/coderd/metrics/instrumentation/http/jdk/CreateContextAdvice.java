package dev.coderd.metrics.instrumentation.http.jdk;

import dev.coderd.metrics.bridge.HttpBridge;
import net.bytebuddy.asm.Advice;

/** Inlined into {@code sun.net.httpserver.ServerImpl.createContext}: hands each new context to the core. */
public final class CreateContextAdvice {
    private CreateContextAdvice() {}

    @Advice.OnMethodExit(suppress = Throwable.class)
    public static void exit(@Advice.Return Object context) {
        HttpBridge.jdkContextCreated(context);
    }
}
