package dev.weft.uring.internal;

import static dev.weft.uring.internal.RingTestSupport.assumeUring;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.BitSet;
import org.junit.jupiter.api.Test;

class RingOverflowTest {
    @Test
    void aFullCqLosesNothing() throws Exception {
        assumeUring();
        try (Ring ring = new Ring(4)) {
            assertThat(ring.sqEntries()).isEqualTo(4);
            assertThat(ring.cqEntries()).isEqualTo(8);
            assertThat(ring.features() & Abi.FEAT_NODROP).as("IORING_FEAT_NODROP").isNotZero();
            for (int batch = 0; batch < 3; batch++) {
                for (int i = 0; i < 4; i++) {
                    assertThat(ring.prepare(Opcode.NOP, -1, 0, 0, 0, batch * 4 + i)).isTrue();
                }
                assertThat(ring.submit()).isEqualTo(4);
            }
            assertThat(ring.cqOverflowPending()).as("4 of 12 CQEs wait in the kernel").isTrue();

            BitSet seen = new BitSet();
            int total = 0;
            for (int round = 0; round < 10 && total < 12; round++) {
                total += ring.reap((ud, res, flags) -> {
                    assertThat(seen.get((int) ud)).as("user_data %d twice", ud).isFalse();
                    seen.set((int) ud);
                });
                ring.submitAndWait(0);   // GETEVENTS: moves the overflowed CQEs into the ring
            }
            assertThat(total).isEqualTo(12);
            assertThat(seen.cardinality()).isEqualTo(12);
            assertThat(ring.cqOverflow()).as("dropped").isZero();
            assertThat(ring.cqOverflowPending()).isFalse();
        }
    }
}
