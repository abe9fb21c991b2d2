package dev.weft.io.internal;

import dev.weft.Runtime;
import dev.weft.io.spi.IoDriver;
import dev.weft.io.spi.IoDriverProvider;
import dev.weft.spi.AbstractRuntime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Picks the current runtime's {@link IoDriver}: the runtime's option {@value AbstractRuntime#IO_DRIVER},
 * else the system property of that name, else {@code nio}. A named driver that is unavailable here
 * (io_uring on an old kernel, disabled by {@code kernel.io_uring_disabled}, or refused by a
 * container's seccomp filter) falls back to NIO, with one log line per runtime that names the
 * cause; an unknown name is an error that lists the known ones.
 */
public final class IoDrivers {
    /** The built-in readiness driver: files on the blocking pool, sockets through NioDriver. */
    public static final IoDriver NIO = dev.weft.io.internal.nio.NioIoDriver.INSTANCE;

    private static final List<IoDriverProvider> PROVIDERS = load();
    /** Runtimes (by id) already told that their driver fell back to NIO. */
    private static final Set<Long> WARNED = ConcurrentHashMap.newKeySet();

    private IoDrivers() { }

    private static List<IoDriverProvider> load() {
        List<IoDriverProvider> found = new ArrayList<>();
        try {
            for (IoDriverProvider p : ServiceLoader.load(IoDriverProvider.class, IoDrivers.class.getClassLoader())) {
                found.add(p);
            }
        } catch (java.util.ServiceConfigurationError e) {
            LeakLog.warn("dev.weft.io", "an I/O driver provider failed to load: " + e, e);
        }
        return List.copyOf(found);
    }

    /** The driver of the current runtime (see the class comment); it serves whichever runtime is current at each call. */
    public static IoDriver current() {
        return select(Runtime.current(), false);
    }

    /** The driver of {@code runtime}, bound to it: its sockets are that runtime's, whoever opens them. */
    public static IoDriver of(Runtime runtime) {
        return select(runtime, true);
    }

    private static IoDriver select(Runtime runtime, boolean bound) {
        String name = runtime instanceof AbstractRuntime ar ? ar.ioDriverName() : System.getProperty(AbstractRuntime.IO_DRIVER, "nio");
        IoDriver nio = bound ? dev.weft.io.internal.nio.NioIoDriver.of(runtime) : NIO;
        if (name.equals("nio")) {
            return nio;
        }
        for (IoDriverProvider p : PROVIDERS) {
            if (p.name().equals(name)) {
                Optional<String> why = p.unavailableBecause();
                if (why.isEmpty()) {
                    return p.driverFor(runtime);
                }
                long id = runtime instanceof AbstractRuntime ar ? ar.id() : -1;
                if (WARNED.add(id)) {
                    // (logged from weft-io's log thread: this may run on a worker, decision 12)
                    LeakLog.warn("dev.weft.io", "runtime '" + runtime.name() + "' asked for the " + name
                            + " I/O driver, which cannot run here: " + why.get() + ". Using NIO instead.", null);
                }
                return nio;
            }
        }
        List<String> known = new ArrayList<>(List.of("nio"));
        PROVIDERS.forEach(p -> known.add(p.name()));
        throw new IllegalStateException("runtime '" + runtime.name() + "' asks for I/O driver '" + name + "', which is not "
                + "on the module or class path. Known drivers: " + known + " (io_uring needs the weft-uring module).");
    }
}
