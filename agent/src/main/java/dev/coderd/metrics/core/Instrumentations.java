package dev.coderd.metrics.core;

import dev.coderd.metrics.instrumentation.InstrumentationModule;
import dev.coderd.metrics.instrumentation.executor.jdk.ExecutorInstrumentation;
import dev.coderd.metrics.instrumentation.http.jdk.JdkHttpServerInstrumentation;
import dev.coderd.metrics.instrumentation.http.servlet.ServletInstrumentation;
import dev.coderd.metrics.instrumentation.http.spring.SpringMvcInstrumentation;
import dev.coderd.metrics.instrumentation.jdbc.JdbcInstrumentation;
import dev.coderd.metrics.instrumentation.jdbc.dbcp.DbcpInstrumentation;
import dev.coderd.metrics.instrumentation.jdbc.hikari.HikariInstrumentation;
import dev.coderd.metrics.instrumentation.jdbc.tomcat.TomcatJdbcInstrumentation;
import dev.coderd.metrics.instrumentation.websocket.jetty.JettyWebsocketInstrumentation;
import dev.coderd.metrics.instrumentation.websocket.jsr356.WebsocketInstrumentation;
import java.util.List;

/** Every instrumentation the agent has, each switched by its own key. */
final class Instrumentations {
    private Instrumentations() {}

    static List<InstrumentationModule> all() {
        return List.of(new ServletInstrumentation(), new SpringMvcInstrumentation(), new JdkHttpServerInstrumentation(),
                new JdbcInstrumentation(), new HikariInstrumentation(), new DbcpInstrumentation(), new TomcatJdbcInstrumentation(),
                new WebsocketInstrumentation(), new JettyWebsocketInstrumentation(),
                new ExecutorInstrumentation());
    }
}
