package dev.weft.runtime.internal;

import dev.weft.spi.AbstractRuntime;
import java.util.concurrent.Executor;

/**
 * The scheduler of a Weft runtime, as the JDK sees it (the executor of its virtual threads).
 * Lets {@link CarrierHook} tell, from a virtual thread's scheduler, which runtime carries it.
 */
public interface RuntimeScheduler extends Executor {
    /** The runtime this scheduler belongs to. */
    AbstractRuntime runtime();
}
