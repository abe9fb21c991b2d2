package dev.weft.spi;

import java.util.Optional;

/**
 * Supplies runtime-specific extras that live outside the runtime itself, for
 * {@link dev.weft.Runtime#extension(Class)}: for example weft-uring answers
 * {@code extension(Uring.class)} with the io_uring driver's extras when the runtime uses it. Found
 * with {@link java.util.ServiceLoader} (module {@code provides}, or {@code META-INF/services}).
 */
public interface ExtensionProvider {
    /**
     * {@code runtime}'s extension of {@code type}, or empty if this provider has none for it.
     * May install a driver on the runtime. An exception is reported and counts as empty.
     */
    <E> Optional<E> extension(AbstractRuntime runtime, Class<E> type);
}
