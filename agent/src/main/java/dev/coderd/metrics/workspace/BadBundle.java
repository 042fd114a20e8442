package dev.coderd.metrics.workspace;

/** A bundle the intake refuses with 400; the message names the first bad field. */
public final class BadBundle extends Exception {
    public BadBundle(String message) {
        super(message, null, false, false);
    }
}
