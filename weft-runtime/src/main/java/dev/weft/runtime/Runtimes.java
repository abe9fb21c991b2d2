package dev.weft.runtime;

import dev.weft.Runtime;
import dev.weft.runtime.internal.CarrierHook;

/**
 * Builds Weft's runtimes.
 *
 * {@snippet class="dev.weft.snippets.RuntimeSnippets" region="currentThread"}
 *
 * <ul>
 *   <li>{@link #multiThread()}: work-stealing workers, one per processor; the default for servers
 *       and what {@link dev.weft.Weft#run} uses.</li>
 *   <li>{@link #currentThread()}: every task on the one thread that drives it; for devices, tests,
 *       and embedding in another event loop.</li>
 *   <li>{@link #jdkDefault()}: the JDK's virtual-thread scheduler; needs no JVM flag.</li>
 * </ul>
 */
public final class Runtimes {
    private Runtimes() { }

    /** A multi-thread runtime with the defaults (see {@link MultiThreadRuntime.Builder}). */
    public static MultiThreadRuntime multiThread() {
        return MultiThreadRuntime.builder().build();
    }

    /** A builder for a multi-thread runtime: workers, budget, watchdog, blocking pool. */
    public static MultiThreadRuntime.Builder multiThreadBuilder() {
        return MultiThreadRuntime.builder();
    }

    /** A current-thread runtime named {@code "current-thread"}. */
    public static CurrentThreadRuntime currentThread() {
        return currentThread("current-thread");
    }

    /** A current-thread runtime with the given name. */
    public static CurrentThreadRuntime currentThread(String name) {
        return new CurrentThreadRuntime(name);
    }

    /** A JDK-default runtime named {@code "jdk"}, with one poll thread per processor. */
    public static JdkRuntime jdkDefault() {
        return jdkDefault("jdk");
    }

    /** A JDK-default runtime with the given name. */
    public static JdkRuntime jdkDefault(String name) {
        return new JdkRuntime(name, java.lang.Runtime.getRuntime().availableProcessors());
    }

    /**
     * The runtime {@link dev.weft.Weft#run} uses: multi-thread when the carrier hook is
     * available, else JDK-default (so {@code Weft.run} works without JVM flags).
     */
    public static Runtime defaultRuntime() {
        return CarrierHook.isAvailable() ? MultiThreadRuntime.builder().name("main").build() : jdkDefault("main");
    }

    /** True if Weft's own schedulers can carry virtual threads in this JVM (the JVM flag is present). */
    public static boolean carrierHookAvailable() {
        return CarrierHook.isAvailable();
    }

    /** The platform thread that carries {@code virtualThread} right now, if known. */
    public static java.util.Optional<Thread> carrierOf(Thread virtualThread) {
        return CarrierHook.carrierOf(virtualThread);
    }
}
