package dev.weft;

/**
 * A task body that returns nothing and may throw: the {@code void} sibling of
 * {@link java.util.concurrent.Callable}, so that {@code Weft.spawn(() -> { work(); })} compiles
 * even when {@code work()} throws a checked exception.
 */
@FunctionalInterface
public interface Action {
    /** Runs the body. */
    void run() throws Exception;
}
