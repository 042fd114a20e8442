package dev.coderd.bench;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The smallest JDK-HTTP-server service: {@code /hello}, plus {@code /r/<i>/x} (204) for scrape-size runs, and
 * {@link #HANDLED}, the number of {@code /hello} exchanges its handler ran (the reference an agent's count must
 * equal). JDK classes only, so it runs from a jar of its own (archives take jars only).
 * Argument: the port. Readiness: {@code hello-server ready on port N}.
 */
public final class HelloServer {
    static final String HANDLED = "/handled";

    public static void main(String[] args) throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", Integer.parseInt(args[0])), 128);
        byte[] hello = "hello\n".getBytes(StandardCharsets.UTF_8);
        AtomicLong handled = new AtomicLong();
        server.createContext("/hello", exchange -> {
            handled.incrementAndGet();
            exchange.sendResponseHeaders(200, hello.length);
            exchange.getResponseBody().write(hello);
            exchange.close();
        });
        server.createContext(HANDLED, exchange -> {
            byte[] count = Long.toString(handled.get()).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, count.length);
            exchange.getResponseBody().write(count);
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
