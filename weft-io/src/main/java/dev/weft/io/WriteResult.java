package dev.weft.io;

/**
 * The outcome of an owned write ({@link OwnedWrite}): how many bytes were written, and the buffer,
 * handed back. After {@link OwnedWrite#write} the buffer's position has advanced by {@code count};
 * after {@link OwnedWrite#writeAll} every byte was written and the buffer comes back
 * {@linkplain IoBuf#clear() cleared}, ready to be filled again.
 *
 * @param count the number of bytes written
 * @param buf   the buffer that was lent to the write, usable again
 */
public record WriteResult(int count, IoBuf buf) {
}
