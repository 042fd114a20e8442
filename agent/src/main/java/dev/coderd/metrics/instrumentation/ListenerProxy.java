package dev.coderd.metrics.instrumentation;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;

/**
 * An implementation of a library's callback interface (a servlet {@code AsyncListener}, a websocket
 * listener, a pool's metrics tracker) that the agent core cannot name at compile time: the interface belongs
 * to the application's loader. The one place where the agent builds such proxies, so each gets the same
 * identity semantics and the same rule: a callback never throws into the library.
 *
 * <pre>
 * Object listener = ListenerProxy.create(listenerType, "coderd-metrics-agent async listener",
 *         (method, args) -> method.equals("onComplete") ? done(args[0]) : null);
 * </pre>
 */
public final class ListenerProxy {
    private ListenerProxy() {}

    /** What the proxy does for each call of the interface's own methods; exceptions are swallowed. */
    @FunctionalInterface
    public interface Calls {
        Object call(String method, Object[] args) throws Throwable;
    }

    /** A proxy implementing {@code type} in the type's own loader. */
    public static Object create(Class<?> type, String description, Calls calls) {
        return Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, new Handler(description, calls));
    }

    private static final class Handler implements InvocationHandler {
        private final String description;
        private final Calls calls;

        Handler(String description, Calls calls) {
            this.description = description;
            this.calls = calls;
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) {
            if (method.getDeclaringClass() == Object.class) {
                switch (method.getName()) {
                    case "hashCode":
                        return System.identityHashCode(proxy);
                    case "equals":
                        return proxy == args[0];
                    default:
                        return description;
                }
            }
            try {
                Object result = calls.call(method.getName(), args);
                return result != null || !method.getReturnType().isPrimitive() ? result : defaultOf(method.getReturnType());
            } catch (Throwable t) {
                return defaultOf(method.getReturnType()); // a callback must never fail the library
            }
        }

        private static Object defaultOf(Class<?> type) {
            if (!type.isPrimitive() || type == void.class) {
                return null;
            }
            if (type == boolean.class) {
                return false;
            }
            if (type == char.class) {
                return '\0';
            }
            if (type == long.class) {
                return 0L;
            }
            if (type == float.class) {
                return 0f;
            }
            if (type == double.class) {
                return 0d;
            }
            if (type == int.class) {
                return 0;
            }
            return type == short.class ? (Object) (short) 0 : (Object) (byte) 0;
        }
    }
}
