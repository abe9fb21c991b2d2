package dev.weft.stress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.weft.io.internal.nio.NioDriver;
import dev.weft.io.internal.nio.NioStressHooks;
import dev.weft.io.internal.nio.Registration;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.SelectionKey;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * The NIO driver's interest handshake ({@code Registration}'s implementation notes: "interest
 * follows waiters"). The driver thread handles an event that finds no waiter, so it clears the
 * operation from the interest (atomic AND, then the key, then a second look at the waker slot);
 * meanwhile a task records that it waits (stores its waker, then ORs the operation in and, if it
 * was not there, queues the registration). Either the task is woken or the interest is armed
 * again; never a task waiting on a key that no longer selects its operation.
 *
 * <p>Everything is the production code: a real {@link NioDriver} and {@link Registration}, over a
 * {@link RecordingSelector} (its keys remember their interest set; no file descriptor). After both
 * actors, the arbiter does what the driver thread does at its next park: {@code park(0)} applies
 * the queued registration to the key. r1 = wakes of the task's waker, r2 = 1 if the key then
 * selects the operation.
 */
public final class NioInterestStress {
    private NioInterestStress() { }

    /** A registered channel whose key selects {@code op}, with no waiter left in the slot. */
    abstract static class Base {
        final RecordingSelector selector = new RecordingSelector();
        final NioDriver driver = NioStressHooks.driver(selector);
        final Registration reg;
        final RecordingSelector.Key key;
        final CountingWaker task = new CountingWaker();

        Base(int op) {
            CountingWaker setup = new CountingWaker();
            try {
                reg = driver.register(new RecordingSelector.Channel());
                await(setup);                       // the first wait queues the registration...
                driver.park(0);                     // ...and the driver registers the key with op
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            key = selector.key();
            key.ready = op;
            NioStressHooks.ready(reg, key, true);   // an event takes the setup waiter
            if (setup.count() != 1 || key.interestOps() != op) {
                throw new AssertionError("setup: the key should select " + op + " and the setup waiter be woken");
            }
        }

        abstract void await(CountingWaker w) throws IOException;

        /** The task: waits for the operation (what a read or write poll does before it returns pending). */
        void taskWaits() {
            try {
                await(task);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** After both: the driver thread's next drain applies what was queued; then look. */
        void judge(II_Result r) {
            driver.park(0);
            r.r1 = task.count();
            r.r2 = (key.interestOps() & key.ready) != 0 ? 1 : 0;
        }
    }

    /**
     * Reads: the driver clears read interest on the second idle event in a row with no waiter
     * ({@code Registration.fireRead}); the setup delivers the first one.
     */
    @JCStressTest
    @Outcome(id = {"1, 0", "1, 1"}, expect = ACCEPTABLE, desc = "the task was woken (its re-poll re-arms the interest if it was cleared)")
    @Outcome(id = "0, 1", expect = ACCEPTABLE, desc = "not woken, but the key selects reads again: the next event wakes it")
    @Outcome(id = "0, 0", expect = FORBIDDEN, desc = "lost wake-up: a task waits to read and the key no longer selects reads")
    @State
    public static class Read extends Base {
        public Read() {
            super(SelectionKey.OP_READ);
            NioStressHooks.ready(reg, key, true);       // first idle event with no waiter: interest kept
        }

        @Override
        void await(CountingWaker w) throws IOException {
            reg.awaitReadable(w.cx);
        }

        /** The driver thread: a blocking select reports the channel readable, and nobody waits. */
        @Actor
        public void driver() {
            NioStressHooks.ready(reg, key, true);
        }

        @Actor
        public void task() {
            taskWaits();
        }

        @Arbiter
        public void arbiter(II_Result r) {
            judge(r);
        }
    }

    /** Writes: the driver clears write interest on the first event with no waiter. */
    @JCStressTest
    @Outcome(id = {"1, 0", "1, 1"}, expect = ACCEPTABLE, desc = "the task was woken (its re-poll re-arms the interest if it was cleared)")
    @Outcome(id = "0, 1", expect = ACCEPTABLE, desc = "not woken, but the key selects writes again: the next event wakes it")
    @Outcome(id = "0, 0", expect = FORBIDDEN, desc = "lost wake-up: a task waits to write and the key no longer selects writes")
    @State
    public static class Write extends Base {
        public Write() {
            super(SelectionKey.OP_WRITE);
        }

        @Override
        void await(CountingWaker w) throws IOException {
            reg.awaitWritable(w.cx);
        }

        /** The driver thread: a select reports the channel writable, and nobody waits. */
        @Actor
        public void driver() {
            NioStressHooks.ready(reg, key, false);
        }

        @Actor
        public void task() {
            taskWaits();
        }

        @Arbiter
        public void arbiter(II_Result r) {
            judge(r);
        }
    }
}
