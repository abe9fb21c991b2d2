package dev.weft.internal;

import dev.weft.spi.ContextPropagator;
import dev.weft.spi.Faults;
import java.util.Arrays;
import java.util.Objects;

/**
 * The registered {@link ContextPropagator}s: a copy-on-write array read at every spawn (one
 * volatile read; none registered, no allocation) and, when a task captured something, before its
 * code runs.
 */
public final class Propagation {
    private static final ContextPropagator[] NONE = new ContextPropagator[0];
    private static volatile ContextPropagator[] all = NONE;
    private static final SpinLock LOCK = new SpinLock();

    private Propagation() { }

    public static AutoCloseable register(ContextPropagator p) {
        Objects.requireNonNull(p, "propagator");
        LOCK.lock();
        try {
            ContextPropagator[] next = Arrays.copyOf(all, all.length + 1);
            next[next.length - 1] = p;
            all = next;
        } finally {
            LOCK.unlock();
        }
        return () -> unregister(p);
    }

    private static void unregister(ContextPropagator p) {
        LOCK.lock();
        try {
            ContextPropagator[] now = all;
            for (int i = 0; i < now.length; i++) {
                if (now[i] == p) {
                    ContextPropagator[] next = new ContextPropagator[now.length - 1];
                    System.arraycopy(now, 0, next, 0, i);
                    System.arraycopy(now, i + 1, next, i, now.length - i - 1);
                    all = next.length == 0 ? NONE : next;
                    return;
                }
            }
        } finally {
            LOCK.unlock();
        }
    }

    /** At a spawn, on the spawning thread: what each propagator captures; null if none is registered. */
    static Object[] capture() {
        ContextPropagator[] ps = all;
        if (ps.length == 0) {
            return null;
        }
        Object[] out = new Object[ps.length * 2];
        for (int i = 0; i < ps.length; i++) {
            out[2 * i] = ps[i];
            try {
                out[2 * i + 1] = ps[i].capture();
            } catch (Throwable t) {
                out[2 * i] = null;
                Faults.report("context propagator (capture)", ps[i], t);
            }
        }
        return out;
    }

    /** On the task's thread: installs what was captured; returns the undo actions, in reverse order, or null. */
    static Runnable install(Object[] captured) {
        Runnable[] undo = new Runnable[captured.length / 2];
        for (int i = 0; i < undo.length; i++) {
            ContextPropagator p = (ContextPropagator) captured[2 * i];
            if (p == null) {
                continue;
            }
            try {
                undo[i] = p.install(captured[2 * i + 1]);
            } catch (Throwable t) {
                Faults.report("context propagator (install)", p, t);
            }
        }
        return () -> {
            for (int i = undo.length - 1; i >= 0; i--) {
                if (undo[i] != null) {
                    try {
                        undo[i].run();
                    } catch (Throwable t) {
                        Faults.report("context propagator (undo)", undo[i], t);
                    }
                }
            }
        };
    }
}
