package dev.coderd.metrics.instrumentation.http.jdk;

import static net.bytebuddy.matcher.ElementMatchers.named;

import dev.coderd.metrics.config.ConfigKey;
import dev.coderd.metrics.instrumentation.AdviceSupport;
import dev.coderd.metrics.instrumentation.InstrumentationModule;
import java.util.List;
import net.bytebuddy.agent.builder.AgentBuilder;

/**
 * The JDK's {@code com.sun.net.httpserver}: rather than advising its internals, every context created gets
 * {@link JdkServerFilter} as its first filter, through the server's own extension point. The only advice is
 * the hook on {@code sun.net.httpserver.ServerImpl.createContext}, which both {@code HttpServer} and
 * {@code HttpsServer} use.
 */
public final class JdkHttpServerInstrumentation implements InstrumentationModule {
    public static final ConfigKey<Boolean> ENABLED = ConfigKey.instrumentationSwitch("jdk-httpserver",
            "The JDK's `com.sun.net.httpserver`.");

    @Override
    public String name() {
        return "jdk-httpserver";
    }

    @Override
    public ConfigKey<Boolean> switchKey() {
        return ENABLED;
    }

    /** The class's own name. */
    @Override
    public List<String> classFileMarkers() {
        return List.of("sun/net/httpserver/ServerImpl");
    }

    /** Contexts created before the installation would never get the filter. */
    @Override
    public List<String> jdkTypesToHold() {
        return List.of("sun/net/httpserver/ServerImpl");
    }

    @Override
    public AgentBuilder extend(AgentBuilder builder, AdviceSupport advice) {
        return builder.type(named("sun.net.httpserver.ServerImpl"))
                .transform(advice.transformer(name(), a -> a.advice(named("createContext"), CreateContextAdvice.class.getName())));
    }
}
