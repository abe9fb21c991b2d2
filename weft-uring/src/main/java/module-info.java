/**
 * Linux io_uring through the FFM API only: no liburing, no JNI, no C. {@link dev.weft.uring.Uring}
 * says whether io_uring can be used here, why not, and which operations the kernel supports; the
 * ring itself ({@code dev.weft.uring.internal.Ring}) is internal until the driver built on it lands.
 *
 * <p>Native access is restricted: run with {@code --enable-native-access=dev.weft.uring} (module
 * path) or {@code --enable-native-access=ALL-UNNAMED} (class path), as {@code ./weft} does.
 */
module dev.weft.uring {
    requires dev.weft.core;   // a placeholder: the driver will use weft-io

    exports dev.weft.uring;
}
