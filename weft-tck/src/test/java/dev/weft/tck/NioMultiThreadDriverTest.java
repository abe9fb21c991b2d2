package dev.weft.tck;

import dev.weft.Runtime;
import dev.weft.runtime.Runtimes;

/** The driver suite on the multi-thread runtime: a parked worker waits on the NIO selector. */
class NioMultiThreadDriverTest extends DriverConformanceTest {
    @Override
    protected Runtime newRuntime() {
        return Runtimes.multiThreadBuilder().name("nio-multi").workers(2).build();
    }
}
