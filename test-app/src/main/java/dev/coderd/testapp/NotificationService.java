package dev.coderd.testapp;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.stereotype.Component;

/** Tells a workspace's owner how its build went: two {@code CompletableFuture} stages on the default async pool. */
@Component
public class NotificationService {
    private final AtomicLong delivered = new AtomicLong();

    CompletableFuture<Void> buildFinished(String workspace, String transition, boolean succeeded) {
        return CompletableFuture
                .supplyAsync(() -> "workspace " + workspace + ": " + transition + (succeeded ? " succeeded" : " failed"))
                .thenAcceptAsync(message -> delivered.incrementAndGet());
    }
}
