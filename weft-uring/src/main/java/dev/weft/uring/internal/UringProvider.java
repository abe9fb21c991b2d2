package dev.weft.uring.internal;

import dev.weft.Runtime;
import dev.weft.io.spi.IoDriver;
import dev.weft.io.spi.IoDriverProvider;
import dev.weft.spi.AbstractRuntime;
import dev.weft.uring.Uring;
import java.util.Optional;

/** The {@code io_uring} I/O driver for weft-io: one {@link UringDriver} per runtime, installed through the runtime's drivers. */
public final class UringProvider implements IoDriverProvider {
    @Override
    public String name() {
        return "io_uring";
    }

    @Override
    public Optional<String> unavailableBecause() {
        return Optional.ofNullable(Uring.unavailabilityCause());
    }

    @Override
    public IoDriver driverFor(Runtime runtime) {
        if (!(runtime instanceof AbstractRuntime ar)) {
            throw new IllegalArgumentException("the io_uring driver needs a runtime built on dev.weft.spi.AbstractRuntime, got "
                    + runtime.getClass().getName());
        }
        return ar.driver(UringDriver.class, UringDriver::new);
    }
}
