package dev.weft.runtime;

import dev.weft.Runtime;

/** The conformance suite on the JDK-default runtime. */
class JdkRuntimeConformanceTest extends RuntimeConformanceTest {
    @Override
    protected Runtime newRuntime() {
        return Runtimes.jdkDefault("conformance");
    }
}
