package dev.coderd.metrics.instrumentation;

import dev.coderd.metrics.bridge.AgentBridge;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import java.security.ProtectionDomain;
import java.util.function.UnaryOperator;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.asm.AsmVisitorWrapper;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.implementation.bytecode.StackManipulation;
import net.bytebuddy.implementation.bytecode.constant.TextConstant;
import net.bytebuddy.implementation.bytecode.member.MethodInvocation;
import net.bytebuddy.utility.JavaModule;

/**
 * Builds the transformers of every instrumentation the same way: advice read by name from the agent's own
 * loader (advice classes are never loaded into the application), each advice exception reported to
 * {@link AgentBridge#adviceFailed} with the instrumentation's name, each transformed type counted.
 */
public final class AdviceSupport {
    private final Counter instrumentedTypes;

    AdviceSupport(Counter instrumentedTypes) {
        this.instrumentedTypes = instrumentedTypes;
    }

    /** {@code advices} adds the method matchers and advice class names to a preconfigured transformer. */
    public AgentBuilder.Transformer transformer(String instrumentation, UnaryOperator<AgentBuilder.Transformer.ForAdvice> advices) {
        AgentBuilder.Transformer.ForAdvice base = new AgentBuilder.Transformer.ForAdvice()
                .include(AdviceSupport.class.getClassLoader())
                .withExceptionHandler(reportingTo(instrumentation));
        return new Counting(advices.apply(base), instrumentedTypes.labelValues(instrumentation));
    }

    /**
     * A transformer that applies {@code visitor} (a member substitution where no method boundary fits advice),
     * counted like the advice ones.
     */
    public AgentBuilder.Transformer visiting(String instrumentation, AsmVisitorWrapper visitor) {
        return new Counting((builder, type, loader, module, domain) -> builder.visit(visitor),
                instrumentedTypes.labelValues(instrumentation));
    }

    /** Bytecode for {@code AgentBridge.adviceFailed(thrown, "<instrumentation>")}, the thrown value on the stack. */
    static Advice.ExceptionHandler reportingTo(String instrumentation) {
        try {
            MethodDescription.InDefinedShape report = new MethodDescription.ForLoadedMethod(
                    AgentBridge.class.getMethod("adviceFailed", Throwable.class, String.class));
            return new Advice.ExceptionHandler.Simple(
                    new StackManipulation.Compound(new TextConstant(instrumentation), MethodInvocation.invoke(report)));
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final class Counting implements AgentBuilder.Transformer {
        private final AgentBuilder.Transformer delegate;
        private final CounterDataPoint transformed;

        Counting(AgentBuilder.Transformer delegate, CounterDataPoint transformed) {
            this.delegate = delegate;
            this.transformed = transformed;
        }

        @Override
        public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder, TypeDescription type, ClassLoader loader,
                                                JavaModule module, ProtectionDomain domain) {
            transformed.inc();
            return delegate.transform(builder, type, loader, module, domain);
        }
    }
}
