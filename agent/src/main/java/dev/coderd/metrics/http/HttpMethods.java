package dev.coderd.metrics.http;

/** The contract's {@code method} label: the standard upper-case methods by index, anything else {@code OTHER}. */
final class HttpMethods {
    static final String[] NAMES = {"GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH", "OTHER"};
    static final int COUNT = NAMES.length;

    private HttpMethods() {}

    static int index(String method) {
        if (method == null) {
            return COUNT - 1;
        }
        switch (method) {
            case "GET": return 0;
            case "HEAD": return 1;
            case "POST": return 2;
            case "PUT": return 3;
            case "DELETE": return 4;
            case "CONNECT": return 5;
            case "OPTIONS": return 6;
            case "TRACE": return 7;
            case "PATCH": return 8;
            default: return COUNT - 1;
        }
    }
}
