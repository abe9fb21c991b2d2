package dev.weft.internal;

import dev.weft.Task;
import dev.weft.spi.AbstractRuntime;

/**
 * The task machinery's hooks into {@link AbstractRuntime} that user code must not call (a task
 * counted as started or finished by hand would corrupt the runtime's registry, which close and
 * the task dump rely on). {@code AbstractRuntime} installs them when its class initialises, and
 * this package is exported only to Weft's own modules (issue 16: the runtime SPI's public surface
 * holds only what a runtime's author overrides or a user may call).
 */
public final class RuntimeInternals {
    /** The hooks, implemented by {@link AbstractRuntime} over its private registry. */
    public interface Hooks {
        /** Registers a starting task; false if the runtime began closing (the caller then cancels the task). */
        boolean taskStarted(AbstractRuntime runtime, Task<?> task);

        /** Removes a finished task from the registry. */
        void taskFinished(AbstractRuntime runtime, Task<?> task);

        /** The runtime's carrier gate, or null (see {@link dev.weft.spi.CarrierGate}). */
        dev.weft.spi.CarrierGate carrierGate(AbstractRuntime runtime);

        /** A snapshot of the runtime's live tasks. */
        java.util.List<Task<?>> liveTasks(AbstractRuntime runtime);

        /** The live task whose body runs on {@code thread}, or null. */
        Task<?> liveTaskOn(AbstractRuntime runtime, Thread thread);
    }

    private static volatile Hooks hooks;

    private RuntimeInternals() { }

    /** Called once, by {@code AbstractRuntime}'s static initialiser. */
    public static void install(Hooks h) {
        if (hooks != null) {
            throw new IllegalStateException("the runtime hooks are installed once, by AbstractRuntime");
        }
        hooks = h;
    }

    /** See {@link Hooks#taskStarted}; any runtime passed here has initialised its class, so the hooks are in place. */
    static boolean taskStarted(AbstractRuntime runtime, Task<?> task) {
        return hooks.taskStarted(runtime, task);
    }

    /** A snapshot of {@code runtime}'s live tasks (for Weft's diagnostics and runtimes). */
    public static java.util.List<Task<?>> liveTasks(AbstractRuntime runtime) {
        return hooks.liveTasks(runtime);
    }

    /** The live task of {@code runtime} whose body runs on {@code thread}, or null. */
    public static Task<?> liveTaskOn(AbstractRuntime runtime, Thread thread) {
        return hooks.liveTaskOn(runtime, thread);
    }

    /** See {@link Hooks#carrierGate}. */
    static dev.weft.spi.CarrierGate carrierGate(AbstractRuntime runtime) {
        return hooks.carrierGate(runtime);
    }

    /** See {@link Hooks#taskFinished}. */
    static void taskFinished(AbstractRuntime runtime, Task<?> task) {
        hooks.taskFinished(runtime, task);
    }
}
