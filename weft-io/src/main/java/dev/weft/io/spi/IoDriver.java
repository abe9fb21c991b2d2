package dev.weft.io.spi;

import java.io.IOException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.util.Set;

/**
 * The I/O driver behind a runtime's I/O types: what {@link dev.weft.io.AsyncFile} (and, as more
 * of them move here, the sockets) ask to do their work. One per runtime, chosen by name
 * ({@link IoDriverProvider}): {@code nio} (readiness, built in) or {@code io_uring} (completion,
 * module weft-uring). The I/O types find it through the current runtime; user code does not call
 * it.
 */
public interface IoDriver {
    /** The driver's name, as {@code weft.io.driver} spells it ({@code nio}, {@code io_uring}). */
    String name();

    /**
     * Opens {@code path} for {@link dev.weft.io.AsyncFile}, parking the calling sequential task;
     * or returns null when this driver leaves files to the runtime's blocking pool (NIO: file
     * systems offer no readiness).
     */
    default FileHandle openFile(Path path, Set<? extends OpenOption> options) throws IOException {
        return null;
    }
}
