/**
 * Linux io_uring through the FFM API only: no liburing, no JNI, no C. {@link dev.weft.uring.Uring}
 * says whether io_uring can be used here, why not, and which operations the kernel supports. The
 * driver ({@code dev.weft.uring.internal.UringDriver}) serves weft-io's I/O types on a runtime that
 * chooses it: {@code Runtimes.multiThreadBuilder().ioDriver("io_uring")}, or
 * {@code -Dweft.io.driver=io_uring}.
 *
 * <p>Native access is restricted: run with {@code --enable-native-access=dev.weft.uring} (module
 * path) or {@code --enable-native-access=ALL-UNNAMED} (class path), as {@code ./weft} does.
 */
module dev.weft.uring {
    requires dev.weft.core;
    requires transitive dev.weft.io;

    exports dev.weft.uring;

    provides dev.weft.io.spi.IoDriverProvider with dev.weft.uring.internal.UringProvider;
    provides dev.weft.spi.ExtensionProvider with dev.weft.uring.internal.UringExtensions;
}
