package dev.weft.tck;

import dev.weft.Runtime;
import dev.weft.runtime.Runtimes;

/** The sync-primitives suite on the CurrentThread runtime. */
class CurrentThreadSyncConformanceTest extends SyncConformanceTest {
    @Override
    protected Runtime newRuntime() {
        return Runtimes.currentThread("sync");
    }
}
