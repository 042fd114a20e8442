package dev.coderd.metrics.instrumentation.websocket;

import static dev.coderd.metrics.bridge.websocket.WebsocketBridge.ROUTE_PROPERTY;
import static dev.coderd.metrics.bridge.websocket.WebsocketBridge.SESSION_PROPERTY;

import dev.coderd.metrics.bridge.websocket.WebsocketHook;
import dev.coderd.metrics.context.RequestContext;
import dev.coderd.metrics.http.HttpRecorder;
import dev.coderd.metrics.ws.WebsocketRecorder;
import dev.coderd.metrics.ws.WebsocketSession;
import java.net.URI;
import java.util.Map;

/**
 * What {@link dev.coderd.metrics.bridge.websocket.WebsocketBridge} calls. The handshake names the upgrade
 * request's route and hands it to the session through the endpoint configuration; a session's scope lives in
 * the session's own user properties, so "opened once, ended once" is decided by the container's map: the
 * first {@code onOpen} that finds no scope opens it, the first close that removes it ends it.
 *
 * <pre>
 * modifyHandshake(sec, ...)  → handshake("/api/private/envagent/{workspace}/listen", sec.getUserProperties())
 *                              the upgrade request's route: the framework's, else this template; kept in sec
 * onOpen(session, sec)       → open(session.getUserProperties(), sec.getUserProperties(), sec.getPath())
 * onClose(session, reason)   → close(session.getUserProperties(), session.getRequestURI())
 * </pre>
 */
public final class WebsocketSessionHook implements WebsocketHook {
    private final WebsocketRecorder recorder;
    private final HttpRecorder http;
    private final RequestContext requests;

    public WebsocketSessionHook(WebsocketRecorder recorder, HttpRecorder http, RequestContext requests) {
        this.recorder = recorder;
        this.http = http;
        this.requests = requests;
    }

    /**
     * The endpoint's template becomes the upgrade request's route unless a framework named one first (Spring's
     * {@code WebSocketHandler} registrations: there {@code getPath()} is the concrete request path); the route
     * the request ends up with is the session's, so the 101 and the session carry the same {@code path}.
     */
    @Override
    public void handshake(String endpointPath, Map<String, Object> configProperties) {
        if (endpointPath != null) {
            http.routeTemplate(endpointPath);
        }
        String route = requests.route();
        if (route.isEmpty()) {
            route = endpointPath; // the HTTP side does not see this request: the template alone
        }
        if (route != null) {
            configProperties.put(ROUTE_PROPERTY, route);
        }
    }

    @Override
    public Object open(Map<String, Object> sessionProperties, Map<String, Object> configProperties, String endpointPath) {
        if (sessionProperties.get(SESSION_PROPERTY) != null) {
            return null; // an outer onOpen (a subclass calling super, Jetty's frame handler) opened it
        }
        Object handshakeRoute = configProperties.get(ROUTE_PROPERTY);
        String path = handshakeRoute instanceof String ? (String) handshakeRoute : endpointPath;
        if (path == null) {
            return null;
        }
        WebsocketSession session = recorder.session(path);
        if (sessionProperties.putIfAbsent(SESSION_PROPERTY, session) != null) {
            return null;
        }
        recorder.open(session); // only once the container holds the scope: whatever opens, something can end
        return session;
    }

    @Override
    public void openFailed(Map<String, Object> sessionProperties, Object scope) {
        if (scope instanceof WebsocketSession && sessionProperties.remove(SESSION_PROPERTY, scope)) {
            recorder.close((WebsocketSession) scope, null);
        }
    }

    @Override
    public void close(Map<String, Object> sessionProperties, URI requestUri) {
        Object scope = sessionProperties.remove(SESSION_PROPERTY);
        if (scope instanceof WebsocketSession) {
            recorder.close((WebsocketSession) scope, requestUri);
        }
    }
}
