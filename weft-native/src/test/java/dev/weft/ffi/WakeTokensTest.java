package dev.weft.ffi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.WakeSignal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The token table without a lock: registrations racing each other and the table's growth. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WakeTokensTest {
    private static final int THREADS = 4;
    private static final int PER_THREAD = 3_000;     // 12,000 signals: chunks 0..9 (16 to 8,192 slots) are made

    @Test
    void registrationsFromSeveralThreadsAtOnceGetDistinctTokensThatFireTheirOwnSignal() throws Exception {
        List<WakeSignal> signals = new ArrayList<>();
        for (int i = 0; i < THREADS * PER_THREAD; i++) {
            signals.add(new WakeSignal());
        }
        long[] tokens = new long[signals.size()];
        CyclicBarrier start = new CyclicBarrier(THREADS);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int first = t * PER_THREAD;
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    start.await();
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
                for (int i = first; i < first + PER_THREAD; i++) {
                    tokens[i] = WakeTokens.add(signals.get(i));
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }

        Set<Long> distinct = new HashSet<>();
        for (long token : tokens) {
            assertThat(token).isNotZero();
            distinct.add(token);
        }
        assertThat(distinct.size()).as("distinct tokens: no two registrations got the same one").isEqualTo(tokens.length);

        // Fire every third token: exactly those signals are set, so each token names its own signal.
        for (int i = 0; i < tokens.length; i += 3) {
            WakeTokens.signal(tokens[i]);
        }
        for (int i = 0; i < tokens.length; i++) {
            assertThat(signals.get(i).clear()).as("signal %d fired by its token alone", i).isEqualTo(i % 3 == 0);
        }
    }

    @Test
    void tokensThatNameNoSlotAreIgnored() {
        WakeSignal s = new WakeSignal();
        long token = WakeTokens.add(s);
        WakeTokens.signal(0);
        WakeTokens.signal(-1);
        WakeTokens.signal(Long.MAX_VALUE);
        WakeTokens.signal(token + (1L << 32));               // the same slot, a later generation
        WakeTokens.signal((token & 0xFFFF_FFFF_0000_0000L) | 0x7FFF_FFFFL);   // beyond the last chunk
        assertThat(s.clear()).isFalse();
        WakeTokens.signal(token);
        assertThat(s.clear()).isTrue();
    }
}
