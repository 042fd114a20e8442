package dev.coderd.metrics.http;

import dev.coderd.metrics.config.ConfigKey;
import java.util.List;

/** The configuration keys of the HTTP recorder, whichever server instrumentation feeds it. */
public final class HttpKeys {
    public static final ConfigKey<List<String>> ROUTES = ConfigKey.routes("http.routes",
            "Route templates for servers without their own: `{name}` is one path segment, a trailing `*` the rest; "
                    + "the longest literal prefix wins. Matched against the request path as the client sent it.");

    public static final List<ConfigKey<?>> ALL = List.of(ROUTES);

    private HttpKeys() {}
}
