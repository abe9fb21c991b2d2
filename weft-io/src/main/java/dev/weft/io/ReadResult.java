package dev.weft.io;

/**
 * The outcome of an owned read ({@link OwnedRead}): how many bytes arrived, and the buffer, handed
 * back. The buffer's position has advanced by {@code count}.
 *
 * {@snippet class="dev.weft.io.snippets.IoSnippets" region="owned"}
 *
 * @param count the number of bytes read ({@code > 0}); {@code -1} at the end of the stream; {@code 0}
 *              only if the buffer had no room
 * @param buf   the buffer that was lent to the read, usable again
 */
public record ReadResult(int count, IoBuf buf) {
    /** True at the end of the stream ({@code count == -1}). */
    public boolean eof() {
        return count < 0;
    }
}
