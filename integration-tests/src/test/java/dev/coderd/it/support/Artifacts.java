package dev.coderd.it.support;

import java.nio.file.Files;
import java.nio.file.Path;

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

    private static Path existing(String property) {
        Path p = Path.of(System.getProperty(property, "")).toAbsolutePath().normalize();
        if (!Files.isRegularFile(p)) {
            throw new IllegalStateException(property + " is " + p + ", which does not exist: build the module first (mvn -B verify)");
        }
        return p;
    }
}
