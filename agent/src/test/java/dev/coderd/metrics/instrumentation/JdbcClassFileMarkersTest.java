package dev.coderd.metrics.instrumentation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coderd.metrics.instrumentation.jdbc.JdbcInstrumentation;
import dev.coderd.metrics.instrumentation.jdbc.hikari.HikariInstrumentation;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.pool.TypePool;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The JDBC instrumentation's class-file markers let every class it transforms reach Byte Buddy: every class
 * of H2, PostgreSQL's driver and HikariCP (its generated proxies included) that the statement, connection or
 * data-source matcher accepts carries one of them.
 */
class JdbcClassFileMarkersTest {
    private final ClassFilePrefilter prefilter = new ClassFilePrefilter(null, new ClassFileMarkers(markers()));

    private static List<String> markers() {
        List<String> markers = new ArrayList<>(new JdbcInstrumentation().classFileMarkers());
        markers.addAll(new HikariInstrumentation().classFileMarkers());
        return markers;
    }

    @ParameterizedTest
    @ValueSource(strings = {"org.h2.Driver", "org.postgresql.Driver", "com.zaxxer.hikari.HikariDataSource"})
    void everyClassTheMatchersAcceptCarriesAMarker(String libraryClass) throws Exception {
        ClassLoader loader = getClass().getClassLoader();
        TypePool pool = TypePool.Default.of(ClassFileLocator.ForClassLoader.of(loader));
        ElementMatcher<TypeDescription> statements = JdbcInstrumentation.statementTypes();
        ElementMatcher<TypeDescription> connections = JdbcInstrumentation.connectionTypes();
        ElementMatcher<TypeDescription> dataSources = JdbcInstrumentation.dataSourceTypes();
        TreeSet<String> matched = new TreeSet<>();
        TreeSet<String> unmarked = new TreeSet<>();
        try (JarFile jar = new JarFile(jarOf(Class.forName(libraryClass)).toFile())) {
            for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements(); ) {
                String entry = e.nextElement().getName();
                if (!entry.endsWith(".class") || entry.startsWith("META-INF/") || entry.endsWith("module-info.class")) {
                    continue;
                }
                String name = entry.substring(0, entry.length() - 6).replace('/', '.');
                TypeDescription type = pool.describe(name).resolve();
                boolean accepted;
                try {
                    accepted = statements.matches(type) || connections.matches(type) || dataSources.matches(type);
                } catch (IllegalStateException unresolvable) {
                    continue; // a supertype from an optional dependency that is absent (Micrometer, Hibernate): not JDBC
                }
                if (accepted) {
                    matched.add(name);
                    try (InputStream in = jar.getInputStream(jar.getJarEntry(entry))) {
                        if (!prefilter.mentionsAny(in.readAllBytes())) {
                            unmarked.add(name);
                        }
                    }
                }
            }
        }
        assertThat(matched).as("classes the JDBC matchers accept in the jar of " + libraryClass)
                .containsExactlyElementsOf(expected(libraryClass));
        assertThat(unmarked).as("accepted but without a marker").isEmpty();
    }

    private static List<String> expected(String libraryClass) {
        switch (libraryClass) {
            case "org.h2.Driver":
                return List.of("org.h2.jdbc.JdbcCallableStatement", "org.h2.jdbc.JdbcConnection",
                        "org.h2.jdbc.JdbcPreparedStatement", "org.h2.jdbc.JdbcStatement", "org.h2.jdbcx.JdbcConnectionPool",
                        "org.h2.jdbcx.JdbcDataSource");
            case "org.postgresql.Driver":
                return List.of("org.postgresql.ds.PGPoolingDataSource", "org.postgresql.jdbc.PgCallableStatement", "org.postgresql.jdbc.PgConnection",
                        "org.postgresql.jdbc.PgPreparedStatement", "org.postgresql.jdbc.PgStatement");
            default:
                String p = "com.zaxxer.hikari.pool.";
                return List.of("com.zaxxer.hikari.HikariDataSource", p + "HikariProxyCallableStatement", p + "HikariProxyConnection",
                        p + "HikariProxyPreparedStatement", p + "HikariProxyStatement", p + "ProxyConnection",
                        p + "ProxyPreparedStatement", p + "ProxyStatement", "com.zaxxer.hikari.util.DriverDataSource");
        }
    }

    private static Path jarOf(Class<?> type) throws URISyntaxException {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    }
}
