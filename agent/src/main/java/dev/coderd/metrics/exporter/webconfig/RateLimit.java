package dev.coderd.metrics.exporter.webconfig;

import java.time.Duration;

/**
 * {@code rate_limit}: a token bucket over every protected request, as the exporter-toolkit's
 * {@code rate.NewLimiter(rate.Every(interval), burst)}: one token per {@code interval}, at most {@code burst}
 * saved. Used by the listener's one thread only, so it needs no lock.
 */
public final class RateLimit {
    private final long intervalNanos;
    private final int burst;
    private double tokens;
    private long last;
    private boolean started;

    RateLimit(Duration interval, int burst) {
        this.intervalNanos = interval.toNanos();
        this.burst = burst;
        this.tokens = burst;
    }

    /** Takes a token at {@code nowNanos} (monotonic); false when none is left. */
    public boolean tryAcquire(long nowNanos) {
        if (started) {
            tokens = Math.min(burst, tokens + (double) (nowNanos - last) / intervalNanos);
        }
        started = true;
        last = nowNanos;
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }

    @Override
    public String toString() {
        return "rate limit " + burst + " per " + Duration.ofNanos(intervalNanos);
    }
}
