package dev.weft.uring.internal;

import static dev.weft.uring.internal.RingTestSupport.assumeUring;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The memory-ordering claims of {@link Ring}'s implementation notes, exercised: SQEs published by
 * the tail's release, slots reused after the head's acquire, CQEs read after the tail's acquire,
 * the CQ head released after the reads. A broken claim shows as a lost, duplicated or wrong
 * user_data, or as heads and tails that do not meet.
 */
class RingStressTest {
    private static final int OPS = 100_000;

    @Test
    void everyUserDataComesBackExactlyOnce() throws Exception {
        assumeUring();
        long seed = System.nanoTime();
        SplittableRandom random = new SplittableRandom(seed);
        byte[] seen = new byte[OPS];
        int[] reaped = {0};
        int[] wrong = {0};
        try (Ring ring = new Ring(64)) {
            int next = 0;
            while (next < OPS) {
                int batch = Math.min(1 + random.nextInt(64), OPS - next);
                for (int i = 0; i < batch; i++) {
                    long userData = ((long) next << 20) ^ 0x5A5A5L;   // high and low bits both used
                    assertThat(ring.prepare(Opcode.NOP, -1, 0, 0, 0, userData)).isTrue();
                    next++;
                }
                assertThat(ring.submitAndWait(batch)).isEqualTo(batch);
                ring.reap((ud, res, flags) -> {
                    int index = (int) ((ud ^ 0x5A5A5L) >>> 20);
                    if (res != 0 || index < 0 || index >= OPS || seen[index] != 0) {
                        wrong[0]++;
                    } else {
                        seen[index] = 1;
                    }
                    reaped[0]++;
                });
            }
            assertThat(wrong[0]).as("seed %d", seed).isZero();
            assertThat(reaped[0]).as("seed %d", seed).isEqualTo(OPS);
            for (int i = 0; i < OPS; i++) {
                assertThat(seen[i]).as("user_data %d (seed %d)", i, seed).isEqualTo((byte) 1);
            }
            assertThat(ring.sqHeadAcquire()).isEqualTo(ring.sqTailAcquire()).isEqualTo(OPS);
            assertThat(ring.cqHeadAcquire()).isEqualTo(ring.cqTailAcquire()).isEqualTo(OPS);
            assertThat(ring.sqSpace()).isEqualTo(64);
            assertThat(ring.cqOverflow()).isZero();
        }
    }
}
