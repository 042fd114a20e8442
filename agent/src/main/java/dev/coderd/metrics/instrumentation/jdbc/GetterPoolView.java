package dev.coderd.metrics.instrumentation.jdbc;

import dev.coderd.metrics.db.PoolRecorder;

/**
 * A pool read at scrape time through its library's public getters ({@link PoolGetter}); each library adds
 * which data source serves the pool and which closings it has.
 */
public abstract class GetterPoolView implements PoolRecorder.PoolView {
    private final String name;
    private final PoolGetter maxOpen;
    private final PoolGetter open;
    private final PoolGetter inUse;
    private final PoolGetter idle;

    /** {@code open} null: the library counts none, so it is in use plus idle. */
    protected GetterPoolView(String name, PoolGetter maxOpen, PoolGetter open, PoolGetter inUse, PoolGetter idle) {
        this.name = name;
        this.maxOpen = maxOpen;
        this.open = open;
        this.inUse = inUse;
        this.idle = idle;
    }

    @Override
    public String name() {
        return name;
    }

    /** A maximum below 0 means no limit, which {@code database/sql} reports as 0. */
    @Override
    public double maxOpen() {
        return Math.max(0, maxOpen.read());
    }

    @Override
    public double open() {
        return open == null ? inUse.read() + idle.read() : open.read();
    }

    @Override
    public double inUse() {
        return inUse.read();
    }

    @Override
    public double idle() {
        return idle.read();
    }
}
