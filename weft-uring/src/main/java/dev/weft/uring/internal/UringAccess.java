package dev.weft.uring.internal;

import dev.weft.uring.Uring;
import java.util.function.Function;

/**
 * The bridge from the driver to {@link Uring}'s private constructor, in the manner of the JDK's
 * {@code SharedSecrets}: {@code Uring} installs it from its class initializer. Not exported.
 */
public final class UringAccess {
    /** What the driver shows of itself to {@link Uring}. */
    public interface DriverView {
        String runtimeName();

        /** {SQ entries, CQ entries, in flight, SQ full, EBUSY answers, CQ overflow seen, submitted, completed, copied, in place, fixed}. */
        long[] snapshot();

        void registerBuffers(dev.weft.io.BufPool pool);

        void unregisterBuffers();

        void zeroCopySendsAbove(int bytes);

        /** The registered pool's name, or null. */
        String registeredPool();
    }

    private static volatile Function<DriverView, Uring> factory;

    private UringAccess() { }

    public static void install(Function<DriverView, Uring> f) {
        factory = f;
    }

    static Uring newUring(DriverView view) {
        Function<DriverView, Uring> f = factory;
        if (f == null) {
            try {
                Class.forName(Uring.class.getName(), true, Uring.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException(e);
            }
            f = factory;
        }
        return f.apply(view);
    }
}
