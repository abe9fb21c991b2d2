/**
 * Wrapping C libraries through the FFM API (no JNI): {@link dev.weft.ffi.NativeWake} turns a C
 * callback into a {@link dev.weft.WakeSignal} for {@code Stream.fromPoll}, and
 * {@link dev.weft.ffi.camera} binds the camera simulator that this module compiles from C, with
 * its memory ownership in the types.
 *
 * <p>Native access is restricted: run with {@code --enable-native-access=dev.weft.ffi} (module
 * path) or {@code --enable-native-access=ALL-UNNAMED} (class path), as {@code ./weft} does.
 */
module dev.weft.ffi {
    requires transitive dev.weft.core;

    exports dev.weft.ffi;
    exports dev.weft.ffi.camera;
}
