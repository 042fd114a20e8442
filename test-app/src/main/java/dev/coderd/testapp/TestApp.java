package dev.coderd.testapp;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.event.EventListener;

/**
 * A coderd-like service: Spring Boot 3 on Tomcat, Coder-shaped REST routes. It never references the agent;
 * run it with {@code -javaagent:coderd-metrics-agent.jar} and its metrics appear on :2112.
 *
 * <pre>
 * java -jar test-app/target/test-app.jar [--demo] [--server.port=8080]
 * </pre>
 *
 * {@code --demo} drives its own mixed traffic (2xx, 4xx, 5xx) so that the metrics move with no other tool, and
 * simulated workspace agents push to the agent's intake when {@code CODERD_METRICS_INTAKE_TOKEN} is set
 * ({@link WorkspaceAgentPushers}).
 * Readiness is one line on standard output: {@code test-app ready on port N}.
 */
@SpringBootApplication
public class TestApp {
    private final boolean demo;
    private final org.springframework.boot.ApplicationArguments args;

    public TestApp(org.springframework.boot.ApplicationArguments args) {
        this.demo = args.containsOption("demo");
        this.args = args;
    }

    public static void main(String[] args) {
        SpringApplication.run(TestApp.class, args);
    }

    @EventListener
    public void ready(ApplicationReadyEvent event) {
        int port = ((WebServerApplicationContext) event.getApplicationContext()).getWebServer().getPort();
        System.out.println("test-app ready on port " + port);
        if (demo) {
            DemoTraffic.start(port);
            FleetTraffic.start(port);
            WorkspaceAgentPushers.start(option("demo.intake-token", System.getenv(WorkspaceAgentPushers.TOKEN_ENV)),
                    option("demo.intake-url", WorkspaceAgentPushers.DEFAULT_URL),
                    DurationStyle.detectAndParse(option("demo.push-interval", "10s")));
        }
    }

    /** The last value of {@code --name=value}, else {@code fallback}. */
    private String option(String name, String fallback) {
        java.util.List<String> values = args.getOptionValues(name);
        return values == null || values.isEmpty() ? fallback : values.get(values.size() - 1);
    }
}
