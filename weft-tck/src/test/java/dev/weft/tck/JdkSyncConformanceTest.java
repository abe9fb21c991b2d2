package dev.weft.tck;

import dev.weft.Runtime;
import dev.weft.runtime.Runtimes;

/** The sync-primitives suite on the Jdk runtime. */
class JdkSyncConformanceTest extends SyncConformanceTest {
    @Override
    protected Runtime newRuntime() {
        return Runtimes.jdkDefault("sync");
    }
}
