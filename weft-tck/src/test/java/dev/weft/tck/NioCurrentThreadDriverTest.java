package dev.weft.tck;

import dev.weft.Runtime;
import dev.weft.runtime.Runtimes;

/** The driver suite on the current-thread runtime: the test thread waits on the NIO selector. */
class NioCurrentThreadDriverTest extends DriverConformanceTest {
    @Override
    protected Runtime newRuntime() {
        return Runtimes.currentThread("nio-current");
    }
}
