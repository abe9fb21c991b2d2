package dev.weft.runtime;

import dev.weft.Runtime;

/** The fault suite on the Jdk runtime. */
class JdkFaultConformanceTest extends FaultConformanceTest {
    @Override
    protected Runtime newRuntime() {
        return Runtimes.jdkDefault("faults");
    }
}
