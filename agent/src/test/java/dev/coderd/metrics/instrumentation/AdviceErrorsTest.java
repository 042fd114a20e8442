package dev.coderd.metrics.instrumentation;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static org.assertj.core.api.Assertions.assertThat;

import dev.coderd.metrics.bridge.AgentBridge;
import java.util.ArrayList;
import java.util.List;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.dynamic.loading.ClassLoadingStrategy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Advice that throws leaves the host's method working and is reported, with its instrumentation's name. */
class AdviceErrorsTest {
    public static class Greeter {
        public String greet(String name) {
            return "hello " + name;
        }
    }

    public static class BrokenAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        public static void enter() {
            throw new IllegalStateException("broken enter");
        }

        @Advice.OnMethodExit(suppress = Throwable.class)
        public static void exit() {
            throw new UnsupportedOperationException("broken exit");
        }
    }

    @AfterEach
    void uninstall() {
        AgentBridge.install(null);
    }

    @Test
    void theMethodRunsAsWithoutTheAdviceAndEachFailureIsReported() throws Exception {
        List<String> reports = new ArrayList<>();
        AgentBridge.install((error, instrumentation) -> reports.add(instrumentation + ": " + error.getMessage()));
        Class<?> woven = new ByteBuddy().redefine(Greeter.class)
                .visit(Advice.withCustomMapping().to(BrokenAdvice.class)
                        .withExceptionHandler(AdviceSupport.reportingTo("servlet")).on(named("greet")))
                .make().load(new ClassLoader(getClass().getClassLoader()) { }, ClassLoadingStrategy.Default.CHILD_FIRST)
                .getLoaded();
        Object greeter = woven.getDeclaredConstructor().newInstance();

        assertThat(woven.getMethod("greet", String.class).invoke(greeter, "coder")).isEqualTo("hello coder");
        assertThat(reports).containsExactly("servlet: broken enter", "servlet: broken exit");
    }
}
