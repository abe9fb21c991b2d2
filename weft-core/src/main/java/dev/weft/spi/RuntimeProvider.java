package dev.weft.spi;

import dev.weft.Runtime;

/**
 * Supplies the runtime that {@link dev.weft.Weft#run(java.util.concurrent.Callable)} creates when
 * the caller names none. Found with {@link java.util.ServiceLoader}; the provider with the highest
 * {@link #priority()} wins. {@code weft-runtime} provides one.
 */
public interface RuntimeProvider {
    /** Creates a new default runtime, owned by the caller (who closes it). */
    Runtime createDefault();

    /** Higher wins when several providers are present. */
    default int priority() {
        return 0;
    }
}
