package dev.weft.runtime;

import dev.weft.Runtime;

/** The fault suite on the MultiThread runtime. */
class MultiThreadFaultConformanceTest extends FaultConformanceTest {
    @Override
    protected Runtime newRuntime() {
        return Runtimes.multiThreadBuilder().name("faults").workers(2).build();
    }
}
