package dev.weft.uring.internal;

import dev.weft.spi.AbstractRuntime;
import dev.weft.spi.ExtensionProvider;
import dev.weft.uring.Uring;
import java.util.Optional;

/**
 * Answers {@code runtime.extension(Uring.class)}: the io_uring driver's extras when the runtime's
 * I/O driver is io_uring (its option {@code weft.io.driver}, else the system property) and io_uring
 * is available here; the driver is installed on first use. Empty otherwise.
 */
public final class UringExtensions implements ExtensionProvider {
    @Override
    public <E> Optional<E> extension(AbstractRuntime runtime, Class<E> type) {
        if (type != Uring.class || !Uring.isAvailable() || runtime.isClosed()) {
            return Optional.empty();
        }
        if (!runtime.ioDriverName().equals("io_uring")) {
            return Optional.empty();
        }
        return runtime.driver(UringDriver.class, UringDriver::new).extension(type);
    }
}
