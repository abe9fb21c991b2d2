package dev.weft.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The pool's rules: cleared buffers, dead handles after give, clear errors for misuse, the empty policy. */
class BufPoolTest {

    private static BufPool pool(boolean direct, int size, int count, List<BufPool.Leak> leaks) {
        var b = BufPool.builder(size, count).leakListener(leaks::add).name("test");
        return (direct ? b.direct() : b.heap()).build();
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void takeGivesAClearedBufferOfTheSizeAndGiveReusesTheMemory(boolean direct) {
        List<BufPool.Leak> leaks = new ArrayList<>();
        try (BufPool pool = pool(direct, 1024, 2, leaks)) {
            IoBuf a = pool.take();
            assertThat(a.position()).isZero();
            assertThat(a.limit()).isEqualTo(1024);
            assertThat(a.capacity()).isEqualTo(1024);
            assertThat(a.isDirect()).isEqualTo(direct);
            assertThat(pool.available()).isEqualTo(1);
            assertThat(pool.outstanding()).isEqualTo(1);
            a.putInt(0x11223344);
            var memory = a.segment();
            pool.give(a);
            IoBuf b = pool.take();
            assertThat(b).as("a new handle").isNotSameAs(a);
            assertThat(b.segment()).as("over the same memory (LIFO: the warmest buffer)").isEqualTo(memory);
            assertThat(b.position()).isZero();
            pool.give(b);
            assertThat(pool.outstanding()).isZero();
        }
        assertThat(leaks).isEmpty();
    }

    @Test
    void aGivenBackBufferAndEveryViewOfItAreDead() {
        try (BufPool pool = BufPool.heap(64, 1)) {
            IoBuf buf = pool.take();
            IoBuf slice = buf.slice(0, 8);
            IoBuf view = buf.readable();
            pool.give(buf);
            assertThatThrownBy(() -> buf.put((byte) 1)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("given back to its pool").hasMessageContaining("take() a new one");
            assertThatThrownBy(buf::remaining).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> slice.get(0)).isInstanceOf(IllegalStateException.class).hasMessageContaining("given back");
            assertThatThrownBy(view::asByteBuffer).isInstanceOf(IllegalStateException.class);
            assertThat(buf.toString()).as("toString never throws").contains("given-back");
            IoBuf again = pool.take();
            again.put((byte) 5);
            assertThatThrownBy(() -> slice.get(0)).as("a stale view never reaches the new owner's bytes")
                    .isInstanceOf(IllegalStateException.class);
            pool.give(again);
        }
    }

    @Test
    void givingTwiceNamesTheProblemAndWhereItWasFirstGivenBack() {
        try (BufPool pool = BufPool.builder(64, 1).leakDetection(true).build()) {
            IoBuf buf = pool.take();
            pool.give(buf);
            assertThatThrownBy(() -> pool.give(buf)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("already given back").hasMessageContaining("double give")
                    .cause().hasMessageContaining("given back here");
        }
    }

    @Test
    void givingAForeignBufferOrAViewIsRefusedWithTheReason() {
        try (BufPool a = BufPool.builder(64, 1).name("a").build(); BufPool b = BufPool.builder(64, 1).name("b").build()) {
            IoBuf fromA = a.take();
            assertThatThrownBy(() -> b.give(fromA)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("belongs to BufPool 'a', not to 'b'");
            assertThatThrownBy(() -> b.give(IoBuf.allocate(64))).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("does not come from a pool");
            assertThatThrownBy(() -> a.give(fromA.slice())).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("is a view");
            a.give(fromA);
        }
    }

    @Test
    void anEmptyPoolAllocatesBeyondItsCountAndCountsIt() {
        try (BufPool pool = BufPool.builder(32, 2).build()) {
            IoBuf a = pool.take();
            IoBuf b = pool.take();
            IoBuf c = pool.take();
            assertThat(pool.overflowAllocations()).isEqualTo(1);
            assertThat(pool.outstanding()).isEqualTo(3);
            pool.give(a);
            pool.give(b);
            pool.give(c);
            assertThat(pool.available()).as("at most count buffers are kept").isEqualTo(2);
            assertThat(pool.outstanding()).isZero();
        }
    }

    @Test
    void anEmptyPoolWithFailSaysWhatToDo() {
        try (BufPool pool = BufPool.builder(32, 1).whenEmpty(BufPool.WhenEmpty.FAIL).build()) {
            IoBuf a = pool.take();
            assertThatThrownBy(pool::take).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("is empty: all 1 buffers of 32 bytes are taken")
                    .hasMessageContaining("Give buffers back");
            pool.give(a);
            pool.give(pool.take());
        }
    }

    @Test
    void closeFreesNativeMemoryAndLaterGiveIsHarmless() {
        List<BufPool.Leak> leaks = new ArrayList<>();
        BufPool pool = pool(true, 128, 2, leaks);
        IoBuf buf = pool.take();
        buf.putInt(7);
        pool.close();
        assertThat(leaks).hasSize(1);
        assertThatThrownBy(() -> buf.getInt(0)).as("the memory is gone: the FFM API refuses the access")
                .isInstanceOf(IllegalStateException.class);
        pool.give(buf);                                  // after close: nothing to do, no error
        assertThatThrownBy(pool::take).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        pool.close();                                    // idempotent
    }

    @Test
    void concurrentTakersNeverShareABuffer() throws Exception {
        try (BufPool pool = BufPool.builder(64, 8).direct().leakDetection(false).build()) {
            int threads = 4;
            int rounds = 20_000;
            List<Throwable> failures = new CopyOnWriteArrayList<>();
            AtomicInteger done = new AtomicInteger();
            List<Thread> ts = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int id = t;
                ts.add(Thread.ofPlatform().start(() -> {
                    try {
                        for (int r = 0; r < rounds; r++) {
                            IoBuf buf = pool.take();
                            long mark = ((long) id << 32) | r;
                            buf.putLong(0, mark);
                            Thread.onSpinWait();
                            assertThat(buf.getLong(0)).as("nobody else wrote into my buffer").isEqualTo(mark);
                            pool.give(buf);
                        }
                        done.incrementAndGet();
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                }));
            }
            for (Thread t : ts) {
                t.join();
            }
            assertThat(failures).isEmpty();
            assertThat(done.get()).isEqualTo(threads);
            assertThat(pool.outstanding()).isZero();
            assertThat(pool.available() + pool.overflowAllocations()).isGreaterThanOrEqualTo(8);
        }
    }
}
