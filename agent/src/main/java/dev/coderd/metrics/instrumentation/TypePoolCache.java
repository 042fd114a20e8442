package dev.coderd.metrics.instrumentation;

import java.lang.ref.SoftReference;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.pool.TypePool;

/**
 * Remembers parsed type descriptions per class loader across transformations. Without it every class that
 * a {@code hasSuperType} matcher looks at re-reads and re-parses its whole hierarchy; in a Spring Boot
 * service that is most of the agent's start-up cost.
 *
 * <p>Bounded: at most {@link #MAX_TYPES} types per loader (the cache starts over when full), held softly
 * (memory pressure clears it) and keyed weakly (an unloaded web application's loader can go).
 */
final class TypePoolCache extends AgentBuilder.PoolStrategy.WithTypePoolCache {
    static final int MAX_TYPES = 8192;
    private static final Object BOOTSTRAP = new Object();
    private final Map<Object, SoftReference<Bounded>> caches = Collections.synchronizedMap(new WeakHashMap<>());

    TypePoolCache() {
        super(TypePool.Default.ReaderMode.FAST);
    }

    @Override
    protected TypePool.CacheProvider locate(ClassLoader loader) {
        Object key = loader == null ? BOOTSTRAP : loader;
        synchronized (caches) {
            SoftReference<Bounded> ref = caches.get(key);
            Bounded cache = ref == null ? null : ref.get();
            if (cache == null) {
                cache = new Bounded();
                caches.put(key, new SoftReference<>(cache));
            }
            return cache;
        }
    }

    private static final class Bounded implements TypePool.CacheProvider {
        private final ConcurrentHashMap<String, TypePool.Resolution> types = new ConcurrentHashMap<>();

        @Override
        public TypePool.Resolution find(String name) {
            return types.get(name);
        }

        @Override
        public TypePool.Resolution register(String name, TypePool.Resolution resolution) {
            if (types.size() >= MAX_TYPES) {
                types.clear();
            }
            TypePool.Resolution previous = types.putIfAbsent(name, resolution);
            return previous == null ? resolution : previous;
        }

        @Override
        public void clear() {
            types.clear();
        }
    }
}
