package dev.coderd.metrics.exporter.webconfig;

/** The web-config file cannot be used; the message names the field and what is wrong, in one line. */
public final class WebConfigException extends Exception {
    public WebConfigException(String message) {
        super(message);
    }

    public WebConfigException(String message, Throwable cause) {
        super(message + (cause.getMessage() == null ? "" : ": " + cause.getMessage()), cause);
    }
}
