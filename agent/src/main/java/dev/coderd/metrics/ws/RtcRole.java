package dev.coderd.metrics.ws;

import java.util.List;

/** What a websocket route is to Coder's wsnet, as {@code websocket.rtc-roles} names it; most routes are none. */
enum RtcRole {
    NONE(""),
    /** A workspace agent's listener: {@code coderd_rtc_agent_listeners_concurrent}. */
    AGENT_LISTENER("agent-listener"),
    /** A client connecting to a workspace: {@code coderd_rtc_client_connections_total} and the workspace connections. */
    CLIENT_CONNECT("client-connect"),
    /** The TURN relay: {@code coderd_rtc_turn_connections_*}. */
    TURN("turn");

    /** The role names a rule may give, in the order the README lists them. */
    static final List<String> NAMES = List.of(AGENT_LISTENER.text, CLIENT_CONNECT.text, TURN.text);

    final String text;

    RtcRole(String text) {
        this.text = text;
    }

    static RtcRole of(String text) {
        for (RtcRole role : values()) {
            if (role != NONE && role.text.equals(text)) {
                return role;
            }
        }
        throw new IllegalArgumentException("'" + text + "' is not one of " + String.join(", ", NAMES));
    }
}
