package dev.weft.tck;

import dev.weft.Runtime;
import dev.weft.runtime.Runtimes;

/** The sync-primitives suite on the MultiThread runtime. */
class MultiThreadSyncConformanceTest extends SyncConformanceTest {
    @Override
    protected Runtime newRuntime() {
        return Runtimes.multiThreadBuilder().name("sync").workers(2).build();
    }
}
