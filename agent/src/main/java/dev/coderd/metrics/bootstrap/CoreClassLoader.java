package dev.coderd.metrics.bootstrap;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.MalformedURLException;
import java.net.URL;
import java.security.CodeSource;
import java.security.ProtectionDomain;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.TreeSet;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Loads the agent core from the {@code core/} folder of the agent jar, where classes are stored as
 * {@code .classdata} so that no other loader (or classpath scanner) can find them.
 *
 * <p>Its parent is the platform loader: the core sees {@code java.sql}, {@code java.net.http} and
 * {@code jdk.httpserver}, the bridge on the bootstrap path, and nothing of the application. Resources are
 * served under their ordinary names ({@code X.class} reads {@code core/X.classdata}), which is how Byte Buddy
 * reads advice bytecode. The jar is multi-release: {@code core/META-INF/versions/N/} wins for N up to the
 * running Java version.
 */
final class CoreClassLoader extends ClassLoader {
    static {
        registerAsParallelCapable();
    }

    private static final String ROOT = "core/";
    private final ZipFile jar;
    private final URL jarUrl;
    private final String[] versionRoots;
    private final ProtectionDomain domain;

    CoreClassLoader(File jarFile, ClassLoader parent) throws IOException {
        super("coderd-metrics-agent", parent);
        this.jar = new ZipFile(jarFile);
        this.jarUrl = jarFile.toURI().toURL();
        this.versionRoots = versionRoots(jar, Runtime.version().feature());
        this.domain = new ProtectionDomain(new CodeSource(jarUrl, (Certificate[]) null), null, this, null);
    }

    /** {@code core/META-INF/versions/N/} for every N the jar has, up to the running version, highest first. */
    private static String[] versionRoots(ZipFile jar, int feature) {
        String prefix = ROOT + "META-INF/versions/";
        TreeSet<Integer> versions = new TreeSet<>(Collections.reverseOrder());
        for (Enumeration<? extends ZipEntry> e = jar.entries(); e.hasMoreElements(); ) {
            String name = e.nextElement().getName();
            if (name.startsWith(prefix)) {
                int end = name.indexOf('/', prefix.length());
                try {
                    int v = Integer.parseInt(name.substring(prefix.length(), end < 0 ? name.length() : end));
                    if (v <= feature) {
                        versions.add(v);
                    }
                } catch (NumberFormatException ignored) {
                    // not a version folder
                }
            }
        }
        List<String> roots = new ArrayList<>();
        for (int v : versions) {
            roots.add(prefix + v + "/");
        }
        roots.add(ROOT);
        return roots.toArray(new String[0]);
    }

    private ZipEntry entry(String resource) {
        if (resource.endsWith(".class")) {
            resource = resource.substring(0, resource.length() - ".class".length()) + ".classdata";
        }
        for (String root : versionRoots) {
            ZipEntry entry = jar.getEntry(root + resource);
            if (entry != null) {
                return entry;
            }
        }
        return null;
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        synchronized (getClassLoadingLock(name)) {
            Class<?> c = findLoadedClass(name);
            if (c == null) {
                // Child-first for the agent's own classes: the core never takes them from anywhere else.
                if (name.startsWith("dev.coderd.metrics.") && !name.startsWith("dev.coderd.metrics.bridge.")) {
                    c = findClass(name);
                } else {
                    c = super.loadClass(name, false);
                }
            }
            if (resolve) {
                resolveClass(c);
            }
            return c;
        }
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
        ZipEntry entry = entry(name.replace('.', '/') + ".class");
        if (entry == null) {
            throw new ClassNotFoundException(name);
        }
        try (InputStream in = jar.getInputStream(entry)) {
            byte[] bytes = readAll(in);
            definePackageOf(name);
            return defineClass(name, bytes, 0, bytes.length, domain);
        } catch (IOException e) {
            throw new ClassNotFoundException(name, e);
        }
    }

    private void definePackageOf(String className) {
        int dot = className.lastIndexOf('.');
        if (dot > 0) {
            String pkg = className.substring(0, dot);
            if (getDefinedPackage(pkg) == null) {
                try {
                    definePackage(pkg, null, null, null, null, null, null, null);
                } catch (IllegalArgumentException alreadyDefined) {
                    // another thread won the race
                }
            }
        }
    }

    @Override
    protected URL findResource(String name) {
        ZipEntry entry = entry(name);
        if (entry == null) {
            return null;
        }
        try {
            return new URL("jar:" + jarUrl + "!/" + entry.getName());
        } catch (MalformedURLException e) {
            return null;
        }
    }

    @Override
    protected Enumeration<URL> findResources(String name) {
        URL url = findResource(name);
        return url == null ? Collections.emptyEnumeration() : Collections.enumeration(List.of(url));
    }

    @Override
    public InputStream getResourceAsStream(String name) {
        ZipEntry entry = entry(name);
        if (entry != null) {
            try {
                return jar.getInputStream(entry);
            } catch (IOException e) {
                return null;
            }
        }
        return super.getResourceAsStream(name);
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(in.available(), 4096));
        in.transferTo(out);
        return out.toByteArray();
    }
}
