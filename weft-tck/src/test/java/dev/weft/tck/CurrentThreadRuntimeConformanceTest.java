package dev.weft.tck;

import dev.weft.Runtime;
import dev.weft.runtime.Runtimes;

/** The conformance suite on the current-thread runtime. */
class CurrentThreadRuntimeConformanceTest extends RuntimeConformanceTest {
    @Override
    protected Runtime newRuntime() {
        return Runtimes.currentThread("conformance");
    }
}
