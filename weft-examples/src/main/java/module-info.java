/** Runnable programs, one per story in the seeds. */
module dev.weft.examples {
    requires dev.weft.runtime;
    requires dev.weft.ffi;
    requires dev.weft.io;
    requires dev.weft.uring;
    requires dev.weft.sync;
    requires dev.weft.ui;          // UiDemo (requires java.desktop transitively)
    requires java.management;
    requires jdk.management;
}
