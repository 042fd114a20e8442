package dev.coderd.metrics.http;

/**
 * What the HTTP recorder tells the websocket side about upgrade requests ({@code Upgrade: websocket}). The
 * session side of the contract ({@code coderd_api_concurrent_websockets}, {@code coderd_api_websocket_durations_ms},
 * {@code coderd_rtc_*}) belongs to the websocket recorder, which the core installs here with
 * {@link HttpRecorder#onWebsocketUpgrade}; until then an upgrade only counts as a request.
 */
public interface WebsocketUpgrades {
    WebsocketUpgrades NONE = rawPath -> { };

    /**
     * An upgrade request for {@code rawPath} (the path as the client sent it) began; whether the server will
     * accept it is not known yet. Called once per request, on the request's thread; must not allocate.
     */
    void attempted(String rawPath);

    /**
     * An upgrade request for {@code path}, begun at {@code startNanos}, was accepted (it counted once with code
     * 101). The session itself is seen by the websocket instrumentation, from its open to its close.
     */
    default void accepted(String path, long startNanos) {
    }
}
