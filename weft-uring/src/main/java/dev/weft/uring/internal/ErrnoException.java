package dev.weft.uring.internal;

import java.io.IOException;

/**
 * A system call that failed: the call's name and the errno it set, both in the message
 * ({@code "io_uring_setup: EINVAL (Invalid argument)"}) and as fields for code that maps them.
 */
public final class ErrnoException extends IOException {
    private static final long serialVersionUID = 1L;

    private final String call;
    private final int errno;

    public ErrnoException(String call, int errno, String description) {
        super(call + ": " + Errno.name(errno) + (description == null ? "" : " (" + description + ")"));
        this.call = call;
        this.errno = errno;
    }

    /** The call that failed, e.g. {@code "io_uring_setup"}. */
    public String call() {
        return call;
    }

    /** The errno it set (positive). */
    public int errno() {
        return errno;
    }
}
