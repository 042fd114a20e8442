package dev.coderd.metrics.http;

/**
 * Where an accepted websocket upgrade goes after it counted once with code 101. The session side of the
 * contract ({@code coderd_api_concurrent_websockets}, {@code coderd_api_websocket_durations_ms}) belongs to
 * the websocket instrumentation, which installs itself here; until then an upgrade only counts as a request.
 */
public interface WebsocketUpgrades {
    WebsocketUpgrades NONE = (path, startNanos) -> { };

    /** An upgrade request for {@code path}, begun at {@code startNanos}, was accepted. */
    void accepted(String path, long startNanos);
}
