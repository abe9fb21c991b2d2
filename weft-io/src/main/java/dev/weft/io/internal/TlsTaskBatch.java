package dev.weft.io.internal;

import dev.weft.CancelledException;
import dev.weft.Context;
import dev.weft.Task;
import dev.weft.internal.Spawner;
import dev.weft.spi.AbstractRuntime;
import java.util.concurrent.Callable;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BooleanSupplier;
import javax.net.ssl.SSLEngine;

/**
 * One batch of an {@link SSLEngine}'s delegated tasks, run on a runtime's blocking pool for a
 * {@link TlsEngineIo} (see its notes): every task the engine has, until it has none or the stream
 * says stop. It calls only the engine, which no other thread calls while the batch is in flight,
 * and writes only its own fields, which the stream reads once {@link #isDone()}.
 */
final class TlsTaskBatch implements Callable<Void> {
    private final SSLEngine engine;
    private final BooleanSupplier stop;
    private Task<Void> task;                     // written before the batch is published (a volatile field of the stream)
    private volatile boolean started;
    private volatile Throwable thrown;

    private TlsTaskBatch(SSLEngine engine, BooleanSupplier stop) {
        this.engine = engine;
        this.stop = stop;
    }

    /**
     * Starts a batch on {@code rt}'s blocking pool as an uninterruptible task (as
     * {@link PoolCalls}'), and polls that task once with {@code cx}, so that its end wakes
     * {@code cx}'s waker; null if the runtime takes no more calls (closed, its pool stopped).
     */
    static TlsTaskBatch start(AbstractRuntime rt, SSLEngine engine, BooleanSupplier stop, Context cx) {
        TlsTaskBatch b = new TlsTaskBatch(engine, stop);
        try {
            b.task = Spawner.blocking(rt, "tls-delegated-tasks", b, false);
        } catch (IllegalStateException | RejectedExecutionException closing) {
            return null;
        }
        try {
            b.task.poll(cx);                     // pending (the waker is kept), or ready if it is done already
        } catch (CancelledException done) {
            // cancelled already (the runtime closes): isDone() says so
        }
        return b;
    }

    /** True once the batch's task is done, whichever way; what it wrote is then visible. */
    boolean isDone() {
        return task.isDone();
    }

    /** True if a pool thread ran the batch (false: it was cancelled while it waited for one). */
    boolean started() {
        return started;
    }

    /** What a task threw out of its {@code run()}, once {@link #isDone()}; null if none did. */
    Throwable thrown() {
        return thrown;
    }

    /** Skips the batch if no pool thread took it yet; one that runs is never interrupted, it stops between tasks. */
    void cancel() {
        task.cancel();
    }

    @Override
    public Void call() {
        started = true;
        try {
            Runnable t;
            while (!stop.getAsBoolean() && (t = engine.getDelegatedTask()) != null) {
                t.run();
            }
        } catch (Throwable t) {
            thrown = t;                          // published by the task's completion, before its waiters are woken
        }
        return null;
    }
}
