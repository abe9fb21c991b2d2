package dev.weft.io;

import dev.weft.Runtime;
import dev.weft.io.spi.IoDriver;
import dev.weft.io.spi.IoDriverProvider;
import java.util.Optional;

/** A driver that is never available here, for {@link IoDriverChoiceTest}: as io_uring is on an old kernel. */
public final class UnavailableDriverProvider implements IoDriverProvider {
    @Override
    public String name() {
        return "never-here";
    }

    @Override
    public Optional<String> unavailableBecause() {
        return Optional.of("the kernel is too old (a test driver)");
    }

    @Override
    public IoDriver driverFor(Runtime runtime) {
        throw new AssertionError("an unavailable driver is never opened");
    }
}
