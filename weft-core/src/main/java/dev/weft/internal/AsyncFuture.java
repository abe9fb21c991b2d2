package dev.weft.internal;

import dev.weft.Context;
import dev.weft.Future;
import dev.weft.Poll;
import dev.weft.Runtime;
import dev.weft.Task;
import java.util.concurrent.Callable;

/** {@link dev.weft.Weft#async}: spawns the body as a sequential task on the runtime that first polls it. */
public final class AsyncFuture<T> implements Future<T> {
    private final Callable<? extends T> body;
    private volatile Task<T> task;
    private volatile boolean cancelled;

    public AsyncFuture(Callable<? extends T> body) {
        this.body = java.util.Objects.requireNonNull(body, "body");
    }

    @Override
    public Poll<T> poll(Context cx) {
        Task<T> t = task;
        if (t == null) {
            if (cancelled) {
                throw new dev.weft.CancelledException("Weft.async future was cancelled before it started");
            }
            t = Runtime.current().spawn(body);
            task = t;
        }
        return t.poll(cx);
    }

    @Override
    public void drop() {
        cancelled = true;
        Task<T> t = task;
        if (t != null) {
            t.cancel();
        }
    }

    @Override
    public String toString() {
        Task<T> t = task;
        return t == null ? "async(not started: " + dev.weft.internal.TaskDump.describe(body) + ")" : "async(" + t + ")";
    }
}
