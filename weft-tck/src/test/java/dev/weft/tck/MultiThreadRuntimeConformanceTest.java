package dev.weft.tck;

import dev.weft.Runtime;
import dev.weft.runtime.Runtimes;

/** The conformance suite on the multi-thread runtime, with two workers like the benchmark machine. */
class MultiThreadRuntimeConformanceTest extends RuntimeConformanceTest {
    @Override
    protected Runtime newRuntime() {
        return Runtimes.multiThreadBuilder().name("conformance").workers(2).build();
    }
}
