package dev.coderd.metrics.instrumentation;

import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * A class-loader pre-check: does this loader see all of these classes? Answered once per loader (weakly
 * cached), so that type matchers such as {@code hasSuperType} only run where the library is present.
 */
public final class ClassLoaderHas extends ElementMatcher.Junction.AbstractBase<ClassLoader> {
    private static final Object BOOTSTRAP = new Object();
    private final String[] resources;
    private final Map<Object, Boolean> answers = Collections.synchronizedMap(new WeakHashMap<>());

    private ClassLoaderHas(String... classNames) {
        resources = new String[classNames.length];
        for (int i = 0; i < classNames.length; i++) {
            resources[i] = classNames[i].replace('.', '/') + ".class";
        }
    }

    public static ClassLoaderHas classes(String... classNames) {
        return new ClassLoaderHas(classNames);
    }

    @Override
    public boolean matches(ClassLoader loader) {
        Object key = loader == null ? BOOTSTRAP : loader;
        Boolean answer = answers.get(key);
        if (answer == null) {
            answer = lookUp(loader);
            answers.put(key, answer);
        }
        return answer;
    }

    private boolean lookUp(ClassLoader loader) {
        for (String resource : resources) {
            boolean found = loader == null
                    ? ClassLoader.getPlatformClassLoader().getResource(resource) != null
                    : loader.getResource(resource) != null;
            if (!found) {
                return false;
            }
        }
        return true;
    }
}
