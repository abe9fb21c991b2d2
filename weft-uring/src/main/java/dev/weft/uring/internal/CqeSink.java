package dev.weft.uring.internal;

/** Receives the completions {@link Ring#reap} drains, one call per CQE, on the reaping thread. */
@FunctionalInterface
public interface CqeSink {
    /**
     * One completion.
     *
     * @param userData what {@link Ring#prepare} was given
     * @param res      the operation's result: a count or 0 on success, {@code -errno} on failure
     * @param flags    the CQE's flags ({@code IORING_CQE_F_*})
     */
    void accept(long userData, int res, int flags);
}
