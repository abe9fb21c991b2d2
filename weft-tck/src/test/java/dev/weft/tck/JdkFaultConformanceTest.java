package dev.weft.tck;

import dev.weft.Runtime;
import dev.weft.runtime.Runtimes;

/** The fault suite on the Jdk runtime. */
class JdkFaultConformanceTest extends FaultConformanceTest {
    @Override
    protected Runtime newRuntime() {
        return Runtimes.jdkDefault("faults");
    }
}
