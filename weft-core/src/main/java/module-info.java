/**
 * Weft's core: the poll model ({@link dev.weft.Future}, {@link dev.weft.Stream},
 * {@link dev.weft.Poll}, {@link dev.weft.Waker}), tasks, scopes, cancellation, the
 * {@link dev.weft.Runtime} SPI and the {@link dev.weft.Weft} front door. No dependencies.
 */
module dev.weft.core {
    exports dev.weft;
    exports dev.weft.spi;
    exports dev.weft.internal to dev.weft.runtime, dev.weft.sync, dev.weft.io, dev.weft.uring, dev.weft.ui;
    exports dev.weft.internal.future to dev.weft.runtime, dev.weft.sync, dev.weft.io;
    exports dev.weft.internal.stream to dev.weft.runtime;

    requires java.management;      // the runtimes' MXBeans (dev.weft.spi.WeftRuntimeMXBean)
    requires jdk.jfr;              // Weft's JFR events (dev.weft.internal.WeftEvents)

    uses dev.weft.spi.RuntimeProvider;
    uses dev.weft.spi.DiagnosticsAgent;
    uses dev.weft.spi.ExtensionProvider;
}
