package dev.coderd.bench;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;

/**
 * The smallest JDK-HTTP-server service: {@code /hello}, plus {@code /r/<i>/x} (204) for scrape-size runs. JDK classes only, so it runs from a jar of its own (archives take jars only).
 * Argument: the port. Readiness: {@code hello-server ready on port N}.
 */
public final class HelloServer {
    public static void main(String[] args) throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", Integer.parseInt(args[0])), 128);
        byte[] hello = "hello\n".getBytes(StandardCharsets.UTF_8);
        server.createContext("/hello", exchange -> {
            exchange.sendResponseHeaders(200, hello.length);
            exchange.getResponseBody().write(hello);
            exchange.close();
        });
        server.createContext("/r/", exchange -> {
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.setExecutor(Executors.newFixedThreadPool(8));
        server.start();
        System.out.println("hello-server ready on port " + server.getAddress().getPort());
    }
}
