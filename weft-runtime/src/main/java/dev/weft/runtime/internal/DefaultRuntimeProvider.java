package dev.weft.runtime.internal;

import dev.weft.Runtime;
import dev.weft.runtime.Runtimes;
import dev.weft.spi.RuntimeProvider;

/** Supplies {@link Runtimes#defaultRuntime()} to {@link dev.weft.Weft#run}. */
public final class DefaultRuntimeProvider implements RuntimeProvider {
    @Override
    public Runtime createDefault() {
        return Runtimes.defaultRuntime();
    }
}
