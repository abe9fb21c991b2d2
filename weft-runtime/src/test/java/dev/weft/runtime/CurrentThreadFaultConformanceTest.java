package dev.weft.runtime;

import dev.weft.Runtime;

/** The fault suite on the CurrentThread runtime. */
class CurrentThreadFaultConformanceTest extends FaultConformanceTest {
    @Override
    protected Runtime newRuntime() {
        return Runtimes.currentThread("faults");
    }
}
