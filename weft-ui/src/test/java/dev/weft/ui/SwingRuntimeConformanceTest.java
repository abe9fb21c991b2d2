package dev.weft.ui;

import dev.weft.Runtime;
import dev.weft.tck.FaultConformanceTest;
import dev.weft.tck.RuntimeConformanceTest;
import dev.weft.tck.SyncConformanceTest;
import org.junit.jupiter.api.Nested;

/** The conformance kit on the Swing runtime (headless: the event dispatch thread runs without a display). */
class SwingRuntimeConformanceTest {
    @Nested
    class Behaviour extends RuntimeConformanceTest {
        @Override
        protected Runtime newRuntime() {
            return SwingRuntime.open("swing-conformance");
        }
    }

    @Nested
    class Faults extends FaultConformanceTest {
        @Override
        protected Runtime newRuntime() {
            return SwingRuntime.open("swing-faults");
        }
    }

    @Nested
    class Sync extends SyncConformanceTest {
        @Override
        protected Runtime newRuntime() {
            return SwingRuntime.open("swing-sync");
        }
    }
}
