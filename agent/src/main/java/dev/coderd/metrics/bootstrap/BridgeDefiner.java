package dev.coderd.metrics.bootstrap;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * Gives the bridge classes ({@code dev/coderd/metrics/bridge/**}) to the bootstrap class loader without
 * touching the bootstrap search path.
 *
 * <p>Why not {@code Instrumentation.appendToBootstrapClassLoaderSearch}: the JVM treats an appended boot path
 * as a different class path. It then disables class-data sharing for application classes (and says so on
 * standard error), refuses a JDK 17 AppCDS top archive, and a JDK 25 AOT cache trained with the agent records
 * boot classes from a path that does not exist yet when the next JVM starts, which crashes it in
 * {@code AOTLinkedClassBulkLoader} before premain. Classes defined one by one into the bootstrap loader are
 * ordinary dynamically defined classes: archives ignore them and the JVM's view of its class path is unchanged.
 *
 * <p>The definer is {@code jdk.internal.misc.Unsafe.defineClass} with a null loader ({@link JdkInternals}).
 */
final class BridgeDefiner {
    private static final String BRIDGE = "dev/coderd/metrics/bridge/";

    private BridgeDefiner() {}

    static void defineAll(JdkInternals jdk, JarFile jar) throws IOException, ReflectiveOperationException {
        Map<String, byte[]> pending = readBridge(jar);
        // a class can only be defined once its supertypes are: retry until every class is in or none moves
        while (!pending.isEmpty()) {
            List<String> defined = new ArrayList<>();
            Throwable last = null;
            for (Map.Entry<String, byte[]> entry : pending.entrySet()) {
                try {
                    jdk.defineInBootstrap(entry.getKey(), entry.getValue());
                    defined.add(entry.getKey());
                } catch (InvocationTargetException e) {
                    if (e.getCause() instanceof LinkageError && alreadyDefined(entry.getKey())) {
                        defined.add(entry.getKey()); // another agent copy got there first: the same bytes
                    } else {
                        last = e.getCause();
                    }
                }
            }
            if (defined.isEmpty()) {
                throw new IllegalStateException("cannot define the bridge classes " + pending.keySet(), last);
            }
            defined.forEach(pending::remove);
        }
    }

    private static boolean alreadyDefined(String name) {
        try {
            return Class.forName(name, false, null).getClassLoader() == null;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    private static Map<String, byte[]> readBridge(JarFile jar) throws IOException {
        Map<String, byte[]> classes = new LinkedHashMap<>();
        for (Enumeration<JarEntry> entries = jar.entries(); entries.hasMoreElements(); ) {
            JarEntry entry = entries.nextElement();
            String name = entry.getName();
            if (name.startsWith(BRIDGE) && name.endsWith(".class")) {
                try (InputStream in = jar.getInputStream(entry)) {
                    classes.put(name.substring(0, name.length() - ".class".length()).replace('/', '.'), in.readAllBytes());
                }
            }
        }
        return classes;
    }
}
