package dev.coderd.metrics.instrumentation.http.servlet;

import dev.coderd.metrics.http.HttpRecorder;
import dev.coderd.metrics.instrumentation.ListenerProxy;
import java.lang.reflect.Method;

/**
 * Ends an async servlet request when its {@code AsyncContext} completes, by adding an {@code AsyncListener}.
 *
 * <p>The listener must implement the application's own servlet API ({@code jakarta.servlet} or
 * {@code javax.servlet}, from whichever loader the container uses), which the agent core cannot see at
 * compile time, so it is a {@link ListenerProxy} bound reflectively once per {@code AsyncContext} class.
 * Async requests are the minority; the reflection cost is paid only by them.
 */
public final class AsyncCompletion {
    private final HttpRecorder recorder;
    private final ClassValue<Binding> bindings = new ClassValue<>() {
        @Override
        protected Binding computeValue(Class<?> type) {
            return Binding.of(type);
        }
    };

    public AsyncCompletion(HttpRecorder recorder) {
        this.recorder = recorder;
    }

    /** False when the listener cannot be added; the caller then ends the request itself. */
    public boolean listen(Object asyncContext, Object scope) {
        try {
            Binding binding = bindings.get(asyncContext.getClass());
            if (binding == null) {
                return false;
            }
            binding.addListener.invoke(asyncContext, new Listener(binding, scope).proxy);
            return true;
        } catch (Throwable t) {
            return false;
        }
    }

    /** The servlet API's async types as seen by one container. */
    private static final class Binding {
        final Class<?> listenerType;
        final Method addListener;
        final Method eventContext;
        final Method eventResponse;
        final Method eventThrowable;
        final Method responseStatus;

        private Binding(Class<?> contextType, String ns) throws ReflectiveOperationException {
            ClassLoader loader = contextType.getClassLoader();
            listenerType = Class.forName(ns + ".AsyncListener", false, loader);
            Class<?> eventType = Class.forName(ns + ".AsyncEvent", false, loader);
            addListener = contextType.getMethod("addListener", listenerType);
            eventContext = eventType.getMethod("getAsyncContext");
            eventResponse = eventType.getMethod("getSuppliedResponse");
            eventThrowable = eventType.getMethod("getThrowable");
            responseStatus = Class.forName(ns + ".http.HttpServletResponse", false, loader).getMethod("getStatus");
        }

        static Binding of(Class<?> implementation) {
            for (String ns : new String[] {"jakarta.servlet", "javax.servlet"}) {
                Class<?> contextType = find(implementation, ns + ".AsyncContext");
                if (contextType != null) {
                    try {
                        return new Binding(contextType, ns);
                    } catch (ReflectiveOperationException | LinkageError e) {
                        return null;
                    }
                }
            }
            return null;
        }

        private static Class<?> find(Class<?> type, String interfaceName) {
            for (Class<?> c = type; c != null; c = c.getSuperclass()) {
                for (Class<?> i : c.getInterfaces()) {
                    if (i.getName().equals(interfaceName)) {
                        return i;
                    }
                }
            }
            return null;
        }

        int status(Object event) throws ReflectiveOperationException {
            Object response = eventResponse.invoke(event);
            return response == null ? 200 : (Integer) responseStatus.invoke(response);
        }
    }

    private final class Listener {
        final Binding binding;
        final Object scope;
        final Object proxy;
        volatile Throwable error;

        Listener(Binding binding, Object scope) {
            this.binding = binding;
            this.scope = scope;
            this.proxy = ListenerProxy.create(binding.listenerType, "coderd-metrics-agent async listener", this::on);
        }

        private Object on(String method, Object[] args) throws ReflectiveOperationException {
            switch (method) {
                case "onComplete":
                    recorder.end(scope, binding.status(args[0]), error);
                    break;
                case "onError":
                    error = (Throwable) binding.eventThrowable.invoke(args[0]);
                    break;
                case "onStartAsync":
                    // a new startAsync() drops the listeners of the previous cycle: stay registered
                    binding.addListener.invoke(binding.eventContext.invoke(args[0]), proxy);
                    break;
                default:
                    break;
            }
            return null;
        }
    }
}
