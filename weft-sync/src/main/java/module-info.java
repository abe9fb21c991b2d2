/**
 * Channels (oneshot, mpsc, broadcast, watch) and synchronization (Mutex, RwLock, Semaphore,
 * Notify, Barrier) for Weft tasks: every operation works from a poll task (as a
 * {@link dev.weft.Future}) and from a sequential task (a method that parks the virtual thread),
 * and is safe under cancellation.
 */
module dev.weft.sync {
    requires transitive dev.weft.core;

    exports dev.weft.sync;
}
