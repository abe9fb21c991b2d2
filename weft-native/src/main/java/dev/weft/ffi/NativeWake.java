package dev.weft.ffi;

import static java.lang.foreign.ValueLayout.ADDRESS;

import dev.weft.WakeSignal;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;

/**
 * Native callbacks that wake Weft tasks: a C function pointer which, called on any thread —
 * typically the C library's own — fires a {@link WakeSignal}. With it, a C library's "a frame is
 * ready" callback replaces the timer of a polling loop:
 *
 * {@snippet class="dev.weft.snippets.CameraSnippets" region="upcall"}
 *
 * <p><b>The C side.</b> The callback has the C type {@code void (*)(void *user)}
 * ({@link #CALLBACK}), the usual shape of a C library's callback with user data.
 * {@link #upcall(BiConsumer)} hands the library one function pointer shared by every signal in
 * the JVM plus, as user data, a token that names this signal (an opaque non-zero 64-bit value,
 * not a real address). The call returns at once: it marks the signal and wakes the task
 * registered on it, if any, without blocking, and never lets an exception reach C (one would
 * abort the JVM; failures are counted and dropped).
 *
 * <p><b>Lifetime.</b> The shared function pointer lives as long as the JVM, so the library may
 * keep it as long as it likes. The token refers to its signal weakly: the signal lives as long as
 * the stream or future that polls with it, and a callback that arrives after the polling stream
 * ended, was cancelled or was collected, or after its task finished, is harmless — it marks a
 * signal nobody waits on, or finds no signal at all. A token is never reused for another signal
 * while the first is alive.
 *
 * <p>For a library whose callback has no user data, {@link #upcallStub(WakeSignal)} makes a
 * function pointer of its own for one signal; its holder must keep it reachable while the
 * library may call it.
 *
 * <h2>Implementation notes</h2>
 * <p>One upcall stub ({@link #SHARED_STUB}, global arena) for all signals, rather than a stub per
 * signal: generating a stub costs tens of microseconds and a class of its own, and each such
 * class is compiled separately, so at a few hundred calls per second per camera none would leave
 * the interpreter's and C1's profiling tiers for minutes. The shared stub's body is one hot
 * method. Tokens: see {@code WakeTokens}.
 */
public final class NativeWake {
    /** The C type of the callbacks: {@code void (*)(void *user)}. */
    public static final FunctionDescriptor CALLBACK = FunctionDescriptor.ofVoid(ADDRESS);

    private static final MethodHandle FIRE;
    private static final MethodHandle FIRE_TOKEN;
    private static final MemorySegment SHARED_STUB;
    private static final AtomicLong FAILURES = new AtomicLong();

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            FIRE = lookup.findStatic(NativeWake.class, "fire",
                    MethodType.methodType(void.class, WakeSignal.class, MemorySegment.class));
            FIRE_TOKEN = lookup.findStatic(NativeWake.class, "fireToken",
                    MethodType.methodType(void.class, MemorySegment.class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
        SHARED_STUB = Linker.nativeLinker().upcallStub(FIRE_TOKEN, CALLBACK, Arena.global());
    }

    private NativeWake() { }

    /**
     * A new signal, fired by the C callback that is handed to {@code register} as a function
     * pointer and its user data: the usual one-liner is
     * {@code Stream.fromPoll(cam::tryFrame, NativeWake.upcall(cam::onFrameReady))}, where
     * {@code onFrameReady(MemorySegment callback, MemorySegment userData)} registers a C callback.
     *
     * @param register gives the function pointer ({@link #CALLBACK}) and the user data to pass
     *                 it to the C library
     * @return the signal the callback fires, for {@code fromPoll}
     */
    public static WakeSignal upcall(BiConsumer<? super MemorySegment, ? super MemorySegment> register) {
        Objects.requireNonNull(register, "register");
        WakeSignal signal = new WakeSignal();
        register.accept(SHARED_STUB, MemorySegment.ofAddress(WakeTokens.add(signal)));
        return signal;
    }

    /**
     * A C function pointer ({@link #CALLBACK}, user data ignored) of its own that fires
     * {@code signal}, for libraries whose callback carries no user data. Making one generates
     * code (tens of microseconds): make one per stream, not per item. It lives in an automatic
     * arena: keep the returned segment reachable while the library may call it (it is freed by
     * the GC afterwards).
     */
    public static MemorySegment upcallStub(WakeSignal signal) {
        Objects.requireNonNull(signal, "signal");
        MethodHandle target = MethodHandles.insertArguments(FIRE, 0, signal);
        return Linker.nativeLinker().upcallStub(target, CALLBACK, Arena.ofAuto());
    }

    /** How many callbacks failed inside Java (and were dropped rather than crash the JVM). */
    static long failures() {
        return FAILURES.get();
    }

    /** The shared stub's body: runs on the C library's thread. Must not throw. */
    private static void fireToken(MemorySegment user) {
        try {
            WakeTokens.signal(user.address());
        } catch (Throwable t) {              // an exception escaping an upcall aborts the JVM
            FAILURES.incrementAndGet();
        }
    }

    /** A dedicated stub's body. Must not throw. */
    private static void fire(WakeSignal signal, MemorySegment user) {
        try {
            signal.signal();
        } catch (Throwable t) {
            FAILURES.incrementAndGet();
        }
    }
}
