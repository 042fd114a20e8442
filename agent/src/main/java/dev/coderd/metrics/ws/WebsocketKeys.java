package dev.coderd.metrics.ws;

import dev.coderd.metrics.config.ConfigKey;
import dev.coderd.metrics.config.Rule;
import java.util.List;

/** The configuration keys of the websocket recorder. */
public final class WebsocketKeys {
    /** Coder's wsnet endpoints, as the metrics contract lists them. */
    static final String CODER_WSNET_ROUTES = "/api/private/envagent/listen=agent-listener,"
            + "/api/private/envagent/{workspace}/listen=agent-listener,"
            + "/api/private/envagent/{workspace}/connect=client-connect,"
            + "/api/private/turn=turn";

    public static final ConfigKey<List<Rule>> RTC_ROLES = ConfigKey.routeRules("websocket.rtc-roles", CODER_WSNET_ROUTES,
            RtcRole.NAMES,
            "Websocket routes of workspace-agent connections (`coderd_rtc_*`): `route=role` rules, each route a template as in "
                    + "`http.routes`, each role `agent-listener`, `client-connect` or `turn`. A value replaces the whole list; "
                    + "an empty one counts no RTC.");

    public static final List<ConfigKey<?>> ALL = List.of(RTC_ROLES);

    private WebsocketKeys() {}
}
