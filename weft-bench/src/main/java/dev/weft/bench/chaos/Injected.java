package dev.weft.bench.chaos;

/**
 * An exception the chaos harness throws on purpose: from a task body, from a waker, from a
 * future's {@code drop()}, or from a sibling in a join. Its message starts with
 * {@value #PREFIX}, so a fault reported through {@link dev.weft.spi.Faults} can be told apart
 * from a real one. No stack trace (thrown in hot loops; where it came from is in the message).
 */
final class Injected extends RuntimeException {
    private static final long serialVersionUID = 1L;
    static final String PREFIX = "chaos-injected";

    /** Where it is thrown from. */
    enum Kind {
        /** A task body (sequential, poll or blocking) that fails. */
        BODY,
        /** A {@link dev.weft.Waker} woken by a timer or by a task's completion. */
        WAKER,
        /** A {@link dev.weft.Future#drop()}. */
        DROP,
        /** The failing branch of a join, to make it give back what the other branch got. */
        SIBLING
    }

    private final Kind kind;
    private final long id;

    Injected(Kind kind, long id) {
        super(PREFIX + " " + kind + " #" + id, null, false, false);
        this.kind = kind;
        this.id = id;
    }

    Kind kind() {
        return kind;
    }

    long id() {
        return id;
    }

    /** True if {@code t} or one of its causes is an injected exception. */
    static boolean inChain(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof Injected) {
                return true;
            }
        }
        return false;
    }
}
