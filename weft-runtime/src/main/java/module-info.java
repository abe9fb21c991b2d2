/**
 * Weft's runtimes: {@link dev.weft.runtime.Runtimes} builds them. Current-thread (one OS thread,
 * drivable from a foreign loop with {@code turn()}), JDK-default (the JDK's own virtual-thread
 * scheduler, needs no JVM flag). Sequential tasks on a Weft-scheduled runtime need
 * {@code --add-opens java.base/java.lang=dev.weft.runtime} (or {@code =ALL-UNNAMED} on the class
 * path): see {@code ARCHITECTURE.md}, "Carrier hook".
 */
module dev.weft.runtime {
    requires transitive dev.weft.core;

    exports dev.weft.runtime;
    exports dev.weft.runtime.internal to dev.weft.ui;     // the carrier hook, for SwingRuntime's EDT-carried tasks

    provides dev.weft.spi.RuntimeProvider with dev.weft.runtime.internal.DefaultRuntimeProvider;
}
