package dev.weft.runtime.internal;

import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadFactory;

/**
 * The one reach into JDK internals: lets a Weft runtime be the carrier scheduler of virtual
 * threads.
 *
 * <p>The JDK can start a virtual thread on any {@link Executor} through the package-private
 * constructor {@code java.lang.ThreadBuilders$VirtualThreadBuilder(Executor)}; each time the
 * virtual thread is ready to run (started, unparked, yielded) the JDK calls the executor's
 * {@code execute} with a runnable that mounts it on the calling platform thread and runs it until
 * it parks again. This class reaches that constructor reflectively, which needs
 * {@code --add-opens java.base/java.lang=ALL-UNNAMED} on the class path, or
 * {@code =dev.weft.runtime} on the module path. It also reads {@code VirtualThread.scheduler} and
 * {@code carrierThread} for {@link #isCarriedBy} and {@link #carrierOf}.
 *
 * <p>When the JDK ships a public custom-scheduler API, only this class changes. A virtual thread
 * created inside a virtual thread inherits its parent's scheduler, so plain
 * {@code Thread.ofVirtual()} code inside a task stays on the task's runtime.
 */
public final class CarrierHook {
    /** The flag the hook needs, as the user types it. */
    public static final String FLAG = "--add-opens java.base/java.lang=ALL-UNNAMED";

    private static final Constructor<?> BUILDER;
    private static final Field SCHEDULER;
    private static final Field CARRIER;
    private static final Throwable CAUSE;
    private static final java.lang.invoke.VarHandle CARRIER_VH;
    private static final java.lang.invoke.VarHandle SCHEDULER_VH;
    /** The JDK's own virtual-thread scheduler, or null if the hook is unavailable. */
    private static final Executor JDK_SCHEDULER;
    /** VirtualThread's private pin and unpin of the current continuation, or null. */
    private static final java.lang.invoke.MethodHandle PIN;
    private static final java.lang.invoke.MethodHandle UNPIN;

    static {
        Constructor<?> builder = null;
        Field scheduler = null;
        Field carrier = null;
        Throwable cause = null;
        try {
            Class<?> builderClass = Class.forName("java.lang.ThreadBuilders$VirtualThreadBuilder");
            builder = builderClass.getDeclaredConstructor(Executor.class);
            builder.setAccessible(true);
            Class<?> virtualThread = Class.forName("java.lang.VirtualThread");
            scheduler = virtualThread.getDeclaredField("scheduler");
            scheduler.setAccessible(true);
            carrier = virtualThread.getDeclaredField("carrierThread");
            carrier.setAccessible(true);
            // Prove it works end to end: a builder can be made and yields a thread.
            ((Thread.Builder.OfVirtual) builder.newInstance((Executor) Runnable::run)).unstarted(() -> { });
        } catch (Throwable t) {
            cause = t;
            builder = null;
        }
        java.lang.invoke.VarHandle carrierVh = null;
        java.lang.invoke.VarHandle schedulerVh = null;
        java.lang.invoke.MethodHandle pin = null;
        java.lang.invoke.MethodHandle unpin = null;
        if (builder != null) {
            try {
                Class<?> virtualThread = Class.forName("java.lang.VirtualThread");
                var lookup = java.lang.invoke.MethodHandles.privateLookupIn(virtualThread, java.lang.invoke.MethodHandles.lookup());
                carrierVh = lookup.findVarHandle(virtualThread, "carrierThread", Thread.class);
                schedulerVh = lookup.findVarHandle(virtualThread, "scheduler", Executor.class);
                // disableSuspendAndPreempt/enableSuspendAndPreempt: Continuation.pin()/unpin() on the
                // current virtual thread (a nesting count), plus a JVMTI "do not suspend" mark.
                var vtVoid = java.lang.invoke.MethodType.methodType(void.class);
                var threadVoid = java.lang.invoke.MethodType.methodType(void.class, Thread.class);
                pin = lookup.findVirtual(virtualThread, "disableSuspendAndPreempt", vtVoid).asType(threadVoid);
                unpin = lookup.findVirtual(virtualThread, "enableSuspendAndPreempt", vtVoid).asType(threadVoid);
            } catch (ReflectiveOperationException | RuntimeException e) {
                // whatever was found before the failure stays usable
            }
        }
        Executor jdkScheduler = null;
        if (builder != null) {
            try {
                Field f = Class.forName("java.lang.VirtualThread").getDeclaredField("DEFAULT_SCHEDULER");
                f.setAccessible(true);
                jdkScheduler = (Executor) f.get(null);
            } catch (ReflectiveOperationException | RuntimeException e) {
                jdkScheduler = null;
            }
        }
        PIN = pin;
        UNPIN = unpin;
        JDK_SCHEDULER = jdkScheduler;
        CARRIER_VH = carrierVh;
        SCHEDULER_VH = schedulerVh;
        if (schedulerVh != null) {
            dev.weft.internal.ExecutionContext.setSchedulerResolver(CarrierHook::runtimeOf);
        }
        if (carrierVh != null) {
            dev.weft.internal.ExecutionContext.setCarrierResolver(CarrierHook::currentCarrier);
        }
        BUILDER = builder;
        SCHEDULER = scheduler;
        CARRIER = carrier;
        CAUSE = cause;
    }

    private CarrierHook() { }

    /** True if Weft runtimes can carry virtual threads in this JVM. */
    public static boolean isAvailable() {
        return BUILDER != null;
    }

    /** Why the hook is unavailable, or empty if it is available. */
    public static Optional<Throwable> unavailabilityCause() {
        return Optional.ofNullable(CAUSE);
    }

    /**
     * The error for a runtime that needs the hook when it is unavailable: names the missing flag
     * and the alternatives.
     */
    public static IllegalStateException unavailable(String runtimeName) {
        String cause = CAUSE == null ? "unknown" : CAUSE.getClass().getSimpleName() + ": " + CAUSE.getMessage();
        return new IllegalStateException("Runtime '" + runtimeName + "' cannot run sequential (virtual-thread) "
                + "tasks: this JVM was started without " + FLAG + " (or --add-opens java.base/java.lang="
                + "dev.weft.runtime on the module path), which Weft needs to schedule virtual threads on its own "
                + "workers. Fix: start the JVM through ./weft, or add that flag to the java command line. "
                + "Alternatives: Runtimes.jdkDefault() runs sequential tasks without the flag, and poll tasks "
                + "(spawnFuture) run on every runtime without it. Cause: " + cause, CAUSE);
    }

    /**
     * A factory of virtual threads scheduled on {@code scheduler}.
     *
     * @throws IllegalStateException from {@link #unavailable} if the hook is unavailable
     */
    public static ThreadFactory virtualThreadFactory(Executor scheduler, String runtimeName) {
        Objects.requireNonNull(scheduler, "scheduler");
        if (BUILDER == null) {
            throw unavailable(runtimeName);
        }
        try {
            Thread.Builder.OfVirtual builder = (Thread.Builder.OfVirtual) BUILDER.newInstance(scheduler);
            return TaskThreads.of(builder);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("the JDK refused the virtual-thread builder: " + e, e);
        }
    }

    /**
     * A factory of virtual threads on the JDK's own scheduler, whichever thread asks. A plain
     * {@code Thread.ofVirtual()} thread started from a virtual thread takes its <em>parent's</em>
     * scheduler, so a JDK-default runtime's task spawned from a task that a Weft runtime (or the
     * Swing event thread) carries would run on that runtime's carriers. Empty if the hook is
     * unavailable (then no virtual thread has a custom scheduler to inherit).
     */
    public static Optional<ThreadFactory> jdkSchedulerFactory(String runtimeName) {
        return JDK_SCHEDULER == null ? Optional.empty() : Optional.of(virtualThreadFactory(JDK_SCHEDULER, runtimeName));
    }

    /**
     * A gate that keeps a sequential task on its carrier outside Weft's waits, by pinning its
     * virtual thread's continuation (see {@link dev.weft.spi.CarrierGate}); empty if this JDK
     * offers no pin through the hook.
     */
    public static Optional<dev.weft.spi.CarrierGate> pinningGate() {
        if (PIN == null || UNPIN == null) {
            return Optional.empty();
        }
        return Optional.of(PinningGate.INSTANCE);
    }

    private enum PinningGate implements dev.weft.spi.CarrierGate {
        INSTANCE;

        @Override
        public void hold() {
            Thread self = Thread.currentThread();
            if (self.isVirtual()) {
                try {
                    PIN.invokeExact(self);
                } catch (Throwable t) {
                    throw new IllegalStateException("the JDK refused to pin a virtual thread: " + t, t);
                }
            }
        }

        @Override
        public void release() {
            Thread self = Thread.currentThread();
            if (self.isVirtual()) {
                try {
                    UNPIN.invokeExact(self);
                } catch (Throwable t) {
                    throw new IllegalStateException("the JDK refused to unpin a virtual thread: " + t, t);
                }
            }
        }
    }

    /** The Weft runtime whose scheduler carries virtual thread {@code thread}, or null. */
    static dev.weft.spi.AbstractRuntime runtimeOf(Thread thread) {
        java.lang.invoke.VarHandle vh = SCHEDULER_VH;
        if (vh == null || !thread.isVirtual()) {
            return null;
        }
        return vh.get(thread) instanceof RuntimeScheduler rs ? rs.runtime() : null;
    }

    /** True if {@code thread} is a virtual thread whose scheduler is {@code scheduler}. */
    public static boolean isCarriedBy(Thread thread, Executor scheduler) {
        if (SCHEDULER == null || !thread.isVirtual()) {
            return false;
        }
        try {
            return SCHEDULER.get(thread) == scheduler;
        } catch (IllegalAccessException e) {
            return false;
        }
    }

    /**
     * The platform thread running the caller: the caller itself if it is a platform thread, else
     * the carrier its virtual thread is mounted on (a few nanoseconds; null if unknown).
     */
    public static Thread currentCarrier() {
        Thread self = Thread.currentThread();
        if (!self.isVirtual()) {
            return self;
        }
        java.lang.invoke.VarHandle vh = CARRIER_VH;
        return vh == null ? null : (Thread) vh.getOpaque(self);
    }

    /** The platform thread a virtual thread is mounted on now, or empty (not mounted, or hook unavailable). */
    public static Optional<Thread> carrierOf(Thread thread) {
        if (CARRIER == null || !thread.isVirtual()) {
            return Optional.empty();
        }
        try {
            return Optional.ofNullable((Thread) CARRIER.get(thread));
        } catch (IllegalAccessException e) {
            return Optional.empty();
        }
    }
}
