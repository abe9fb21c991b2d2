package dev.weft;

import java.util.Objects;

/**
 * What a poll is given: the {@link Waker} of the task being polled.
 *
 * <p>The current runtime is not part of the context: code that needs it calls
 * {@link Runtime#current()}, which answers for the thread doing the poll. A context is created
 * once per task and reused for every poll, so polling allocates nothing.
 */
public final class Context {
    private final Waker waker;
    /**
     * Set when {@link #waker()} is called; read and cleared after each pending poll by the task
     * machinery ({@code ContextMarks}). A poll that returns pending without asking for its waker
     * leaves nothing that can wake the task: the dump's lost-waker lint. Written and read only by
     * the polling thread.
     */
    private boolean wakerTaken;

    static {
        dev.weft.internal.ContextMarks.install(cx -> {
            boolean taken = cx.wakerTaken;
            cx.wakerTaken = false;
            return taken;
        });
    }

    /** A context that carries {@code waker}. */
    public Context(Waker waker) {
        this.waker = Objects.requireNonNull(waker, "waker");
    }

    /** A context whose waker does nothing: for polling by hand. */
    public static Context noop() {
        return new Context(Waker.NOOP);
    }

    /** The waker to wake when the polled future can make progress. */
    public Waker waker() {
        if (!wakerTaken) {
            wakerTaken = true;      // read first: a context asked many times per poll is written once
        }
        return waker;
    }
}
