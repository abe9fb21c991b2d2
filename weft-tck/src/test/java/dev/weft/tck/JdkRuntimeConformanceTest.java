package dev.weft.tck;

import dev.weft.Runtime;
import dev.weft.runtime.Runtimes;

/** The conformance suite on the JDK-default runtime. */
class JdkRuntimeConformanceTest extends RuntimeConformanceTest {
    @Override
    protected Runtime newRuntime() {
        return Runtimes.jdkDefault("conformance");
    }
}
