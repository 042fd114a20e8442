package dev.coderd.it.support;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * A JDK to fork the application under test with. Every integration test runs on JDK 17 (the one running the
 * build) and on JDK 25 where it is installed ({@code it.jdk25.home}); where it is not, the JDK 25 half of
 * each test is skipped with a message that says so.
 */
public record Jdk(String name, Path home) {
    public static Stream<Jdk> all() {
        return Stream.of(
                new Jdk("JDK " + Runtime.version().feature(), Path.of(System.getProperty("java.home"))),
                new Jdk("JDK 25", Path.of(System.getProperty("it.jdk25.home", "/usr/lib/jvm/temurin-25-jdk-amd64"))));
    }

    /** The feature release, 17 or 25. */
    public int feature() {
        return Integer.parseInt(name.substring(name.indexOf(' ') + 1));
    }

    public boolean installed() {
        return Files.isExecutable(tool("java"));
    }

    public Path tool(String name) {
        return home.resolve("bin").resolve(name);
    }

    /** Skips the calling test, plainly, when this JDK is not on the machine. */
    public void assumeInstalled() {
        org.junit.jupiter.api.Assumptions.assumeTrue(installed(),
                name + " is not installed at " + home + ": the " + name + " half of this test is skipped");
    }

    @Override
    public String toString() {
        return name;
    }
}
