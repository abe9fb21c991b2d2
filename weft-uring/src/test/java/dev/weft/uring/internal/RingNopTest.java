package dev.weft.uring.internal;

import static dev.weft.uring.internal.RingTestSupport.assumeUring;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RingNopTest {
    @BeforeEach
    void needsUring() {
        assumeUring();
    }

    @Test
    void aNopComesBackWithItsUserData() throws Exception {
        try (Ring ring = new Ring(8)) {
            assertThat(ring.prepare(Opcode.NOP, -1, 0, 0, 0, 0xCAFE_BABE_1234L)).isTrue();
            assertThat(ring.submitAndWait(1)).isEqualTo(1);
            List<long[]> seen = new ArrayList<>();
            assertThat(ring.reap((ud, res, flags) -> seen.add(new long[] {ud, res}))).isEqualTo(1);
            assertThat(seen).hasSize(1);
            assertThat(seen.get(0)[0]).isEqualTo(0xCAFE_BABE_1234L);
            assertThat(seen.get(0)[1]).isZero();
        }
    }

    /**
     * With and without the SQ index array (SETUP_NO_SQARRAY, Linux 6.6): wrapping the SQ three
     * times brings every NOP back once. A wrong mapping size or a stale index array would lose or
     * repeat SQEs.
     */
    @Test
    void theSqRunsWithAndWithoutItsIndexArray() throws Exception {
        for (int flags : new int[] {Abi.SETUP_WANTED, Abi.SETUP_WANTED & ~Abi.SETUP_NO_SQARRAY}) {
            try (Ring ring = new Ring(8, flags)) {
                java.util.Set<Long> seen = new java.util.HashSet<>();
                for (int round = 0; round < 3; round++) {
                    for (int i = 0; i < 8; i++) {
                        assertThat(ring.prepare(Opcode.NOP, -1, 0, 0, 0, round * 8L + i)).isTrue();
                    }
                    ring.submitAndWait(8);
                    ring.reap((ud, res, f) -> assertThat(seen.add(ud)).as("user_data %d once", ud).isTrue());
                }
                assertThat(seen).hasSize(24);
                if ((flags & Abi.SETUP_NO_SQARRAY) == 0) {
                    assertThat(ring.grantedFlags() & Abi.SETUP_NO_SQARRAY).isZero();
                }
            }
        }
    }

    @Test
    void twoHundredNopsInOneSubmitEachSeenOnce() throws Exception {
        try (Ring ring = new Ring(256)) {
            for (int i = 0; i < 200; i++) {
                assertThat(ring.prepare(Opcode.NOP, -1, 0, 0, 0, i)).isTrue();
            }
            assertThat(ring.submitAndWait(200)).isEqualTo(200);
            BitSet seen = new BitSet();
            int[] dup = {0};
            int n = ring.reap((ud, res, flags) -> {
                if (seen.get((int) ud)) {
                    dup[0]++;
                }
                seen.set((int) ud);
                assertThat(res).isZero();
            });
            assertThat(n).isEqualTo(200);
            assertThat(dup[0]).isZero();
            assertThat(seen.cardinality()).isEqualTo(200);
            assertThat(seen.nextSetBit(200)).isEqualTo(-1);
        }
    }

    @Test
    void aFullSqRefusesUntilSubmitted() throws Exception {
        try (Ring ring = new Ring(8)) {
            assertThat(ring.sqEntries()).isEqualTo(8);
            for (int i = 0; i < 8; i++) {
                assertThat(ring.prepare(Opcode.NOP, -1, 0, 0, 0, i)).as("SQE %d", i).isTrue();
            }
            assertThat(ring.sqSpace()).isZero();
            assertThat(ring.prepare(Opcode.NOP, -1, 0, 0, 0, 8)).isFalse();
            assertThat(ring.submit()).isEqualTo(8);
            assertThat(ring.sqSpace()).isEqualTo(8);
            ring.submitAndWait(8);
            assertThat(ring.reap((ud, res, flags) -> { })).isEqualTo(8);
            assertThat(ring.prepare(Opcode.NOP, -1, 0, 0, 0, 8)).isTrue();
            ring.submitAndWait(1);
            long[] last = {-1};
            assertThat(ring.reap((ud, res, flags) -> last[0] = ud)).isEqualTo(1);
            assertThat(last[0]).isEqualTo(8);
        }
    }

    @Test
    void aThrowingSinkConsumesOnlyTheCqesItWasGiven() throws Exception {
        try (Ring ring = new Ring(8)) {
            for (int i = 0; i < 4; i++) {
                ring.prepare(Opcode.NOP, -1, 0, 0, 0, i);
            }
            ring.submitAndWait(4);
            List<Long> first = new ArrayList<>();
            try {
                ring.reap((ud, res, flags) -> {
                    first.add(ud);
                    if (ud == 1) {
                        throw new IllegalStateException("boom");
                    }
                });
            } catch (IllegalStateException expected) {
                // the sink's own exception propagates
            }
            assertThat(first).containsExactly(0L, 1L);
            List<Long> rest = new ArrayList<>();
            assertThat(ring.reap((ud, res, flags) -> rest.add(ud))).isEqualTo(2);
            assertThat(rest).containsExactly(2L, 3L);
        }
    }

    @Test
    void reportsGrantedFlagsAndFeatures() throws Exception {
        try (Ring ring = new Ring(4)) {
            System.out.printf("weft-uring: granted setup flags 0x%x of 0x%x, features 0x%x, sq %d, cq %d%n",
                    ring.grantedFlags(), Abi.SETUP_WANTED, ring.features(), ring.sqEntries(), ring.cqEntries());
            assertThat(ring.grantedFlags() & ~Abi.SETUP_WANTED).isZero();
            assertThat(ring.cqEntries()).isEqualTo(2 * ring.sqEntries());
            if ((ring.grantedFlags() & Abi.SETUP_DEFER_TASKRUN) != 0) {
                assertThat(ring.grantedFlags() & Abi.SETUP_SINGLE_ISSUER).isNotZero();
            }
        }
    }
}
