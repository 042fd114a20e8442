package dev.coderd.it.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

/** The jars the build produced, and the classpath the fixtures run from. */
public final class Artifacts {
    private Artifacts() {}

    public static Path agentJar() {
        return existing("it.agent.jar");
    }

    public static Path testAppJar() {
        return existing("it.testapp.jar");
    }

    /** The test classpath: the fixtures and the libraries they bundle (their own servers, Byte Buddy, client). */
    public static String fixtureClasspath() {
        String cp = System.getProperty("surefire.test.class.path");
        return cp != null ? cp : System.getProperty("java.class.path");
    }

    /**
     * A jar holding a fixture class and the classes it uses (each with its nested classes), with the fixture as
     * its {@code Main-Class}: for class-data archives, which take jars only (never a directory such as
     * {@code target/test-classes}). The classes may use only the JDK besides each other.
     */
    public static Path fixtureJar(Path dir, Class<?> main, Class<?>... uses) throws IOException {
        Path jar = dir.resolve(main.getSimpleName() + ".jar");
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, main.getName());
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest)) {
            for (Class<?> type : Stream.concat(Stream.of(main), Stream.of(uses)).toList()) {
                String packagePath = type.getPackageName().replace('.', '/');
                Path classes = Path.of(type.getProtectionDomain().getCodeSource().getLocation().getPath()).resolve(packagePath);
                try (Stream<Path> files = Files.list(classes)) {
                    for (Path file : files.filter(f -> f.getFileName().toString()
                            .matches(type.getSimpleName() + "(\\$.*)?\\.class")).sorted().toList()) {
                        out.putNextEntry(new JarEntry(packagePath + "/" + file.getFileName()));
                        out.write(Files.readAllBytes(file));
                        out.closeEntry();
                    }
                }
            }
        }
        return jar;
    }

    private static Path existing(String property) {
        Path p = Path.of(System.getProperty(property, "")).toAbsolutePath().normalize();
        if (!Files.isRegularFile(p)) {
            throw new IllegalStateException(property + " is " + p + ", which does not exist: build the module first (mvn -B verify)");
        }
        return p;
    }
}
