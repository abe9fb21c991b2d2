package dev.weft.io.spi;

import dev.weft.Runtime;
import java.util.Optional;

/**
 * Makes a named {@link IoDriver} for a runtime; found with {@link java.util.ServiceLoader}
 * (module {@code provides}, or {@code META-INF/services} on the class path). weft-io picks a
 * runtime's driver by the runtime's option {@code weft.io.driver} (its builder's
 * {@code ioDriver(name)}), else the system property of that name, else {@code nio}; a driver that
 * is unavailable here falls back to NIO with one log line naming the cause.
 */
public interface IoDriverProvider {
    /** The name users choose it by. */
    String name();

    /** Empty if the driver can run in this process; else why not, with the fix where there is one. */
    Optional<String> unavailableBecause();

    /** The driver of {@code runtime}: the same one on every call for the same runtime. */
    IoDriver driverFor(Runtime runtime);
}
