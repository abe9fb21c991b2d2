package dev.weft.runtime;

import dev.weft.Runtime;

/** The conformance suite on the current-thread runtime. */
class CurrentThreadRuntimeConformanceTest extends RuntimeConformanceTest {
    @Override
    protected Runtime newRuntime() {
        return Runtimes.currentThread("conformance");
    }
}
