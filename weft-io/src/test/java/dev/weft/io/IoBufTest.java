package dev.weft.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.ValueLayout;
import java.nio.BufferOverflowException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.util.function.IntFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** IoBuf behaves like a ByteBuffer, on heap and native memory, and its views share memory. */
class IoBufTest {

    record Kind(String name, IntFunction<IoBuf> make) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Kind> kinds() {
        return Stream.of(new Kind("heap", IoBuf::allocate), new Kind("direct", IoBuf::allocateDirect));
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void writeFlipReadLikeAByteBuffer(Kind kind) {
        IoBuf buf = kind.make().apply(32);
        assertThat(buf.position()).isZero();
        assertThat(buf.limit()).isEqualTo(32);
        assertThat(buf.capacity()).isEqualTo(32);
        buf.put((byte) 7).putShort((short) 0x0102).putInt(0x03040506).putLong(0x0708090a0b0c0d0eL).put(new byte[] {15, 16});
        assertThat(buf.position()).isEqualTo(17);
        buf.flip();
        assertThat(buf.remaining()).isEqualTo(17);
        assertThat(buf.get()).isEqualTo((byte) 7);
        assertThat(buf.getShort()).isEqualTo((short) 0x0102);
        assertThat(buf.getInt()).isEqualTo(0x03040506);
        assertThat(buf.getLong()).isEqualTo(0x0708090a0b0c0d0eL);
        byte[] two = new byte[2];
        buf.get(two);
        assertThat(two).containsExactly(15, 16);
        assertThat(buf.hasRemaining()).isFalse();
        assertThatThrownBy(buf::get).isInstanceOf(BufferUnderflowException.class);
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void multiByteValuesAreBigEndian(Kind kind) {
        IoBuf buf = kind.make().apply(8);
        buf.putInt(0x01020304).flip();
        assertThat(buf.toByteArray()).containsExactly(1, 2, 3, 4);
        assertThat(buf.getInt(0)).isEqualTo(0x01020304);
        buf.putShort(2, (short) 0x0a0b);
        assertThat(buf.toByteArray()).containsExactly(1, 2, 10, 11);
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void compactKeepsTheUnreadBytesAndMakesRoom(Kind kind) {
        IoBuf buf = kind.make().apply(8);
        buf.put(new byte[] {1, 2, 3, 4, 5}).flip();
        buf.get();
        buf.get();
        buf.compact();
        assertThat(buf.position()).isEqualTo(3);
        assertThat(buf.limit()).isEqualTo(8);
        buf.put((byte) 6).flip();
        assertThat(buf.toByteArray()).containsExactly(3, 4, 5, 6);
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void boundsAreEnforcedWithClearErrors(Kind kind) {
        IoBuf buf = kind.make().apply(4);
        buf.putInt(1);
        assertThatThrownBy(() -> buf.put((byte) 1)).isInstanceOf(BufferOverflowException.class);
        assertThatThrownBy(() -> buf.position(5)).isInstanceOf(IndexOutOfBoundsException.class).hasMessageContaining("position 5");
        assertThatThrownBy(() -> buf.limit(5)).isInstanceOf(IndexOutOfBoundsException.class).hasMessageContaining("limit 5");
        assertThatThrownBy(() -> buf.getInt(1)).isInstanceOf(IndexOutOfBoundsException.class);
        buf.flip();
        assertThatThrownBy(() -> buf.advance(5)).isInstanceOf(IndexOutOfBoundsException.class).hasMessageContaining("4 remaining");
        buf.limit(2);
        assertThat(buf.position()).isZero();
        buf.position(2).limit(1);
        assertThat(buf.position()).as("a position beyond the new limit moves to it").isEqualTo(1);
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void slicesAndDuplicatesShareMemory(Kind kind) {
        IoBuf buf = kind.make().apply(16);
        IoBuf middle = buf.slice(4, 8);
        assertThat(middle.capacity()).isEqualTo(8);
        middle.putInt(0xcafebabe);
        assertThat(buf.getInt(4)).as("a write through the slice is seen by the parent").isEqualTo(0xcafebabe);

        buf.position(4).limit(8);
        IoBuf rest = buf.slice();
        assertThat(rest.remaining()).isEqualTo(4);
        assertThat(rest.getInt()).isEqualTo(0xcafebabe);

        IoBuf dup = buf.duplicate();
        dup.position(0);
        assertThat(buf.position()).as("a duplicate moves on its own").isEqualTo(4);
        buf.put(4, (byte) 1);
        assertThat(dup.get(4)).isEqualTo((byte) 1);
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void readableIsAReadOnlyViewOfTheRemainingBytes(Kind kind) {
        IoBuf buf = kind.make().apply(8);
        buf.put(new byte[] {9, 8, 7}).flip();
        buf.get();
        IoBuf view = buf.readable();
        assertThat(view.isReadOnly()).isTrue();
        assertThat(view.toByteArray()).containsExactly(8, 7);
        assertThatThrownBy(() -> view.put((byte) 1)).isInstanceOf(ReadOnlyBufferException.class);
        assertThatThrownBy(() -> view.compact()).isInstanceOf(ReadOnlyBufferException.class);
        buf.put(1, (byte) 42);
        assertThat(view.get(0)).as("no copy: the view sees later writes").isEqualTo((byte) 42);
        assertThat(buf.asReadOnly().asByteBuffer().isReadOnly()).isTrue();
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void nioChannelsReadAndWriteThroughTheByteBufferViewWithoutACopy(Kind kind) throws Exception {
        IoBuf buf = kind.make().apply(16);
        buf.put((byte) 99);                                      // one byte already there
        ReadableByteChannel in = Channels.newChannel(new ByteArrayInputStream(new byte[] {1, 2, 3, 4, 5}));
        ByteBuffer view = buf.asByteBuffer();
        assertThat(view.position()).isEqualTo(1);
        assertThat(view.isDirect()).isEqualTo(kind.name().equals("direct"));
        int n = in.read(view);
        buf.advance(n);
        assertThat(buf.position()).isEqualTo(6);
        buf.flip();
        assertThat(buf.toByteArray()).containsExactly(99, 1, 2, 3, 4, 5);

        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        WritableByteChannel out = Channels.newChannel(sink);
        buf.advance(out.write(buf.asByteBuffer()));
        assertThat(sink.toByteArray()).containsExactly(99, 1, 2, 3, 4, 5);
        assertThat(buf.hasRemaining()).isFalse();
        assertThat(buf.asByteBuffer()).as("the same ByteBuffer object every time: a loop allocates nothing")
                .isSameAs(view);
    }

    @Test
    void wrapSharesTheArrayAndTheSegment() {
        byte[] array = {1, 2, 3, 4, 5};
        IoBuf buf = IoBuf.wrap(array, 1, 3);
        assertThat(buf.capacity()).isEqualTo(3);
        assertThat(buf.get()).isEqualTo((byte) 2);
        buf.put(0, (byte) 20);
        assertThat(array[1]).isEqualTo((byte) 20);

        try (Arena arena = Arena.ofConfined()) {
            var seg = arena.allocate(8);
            IoBuf over = IoBuf.wrap(seg);
            over.putLong(42L);
            assertThat(seg.get(ValueLayout.JAVA_LONG_UNALIGNED.withOrder(java.nio.ByteOrder.BIG_ENDIAN), 0)).isEqualTo(42L);
            assertThat(over.isDirect()).isTrue();
            assertThat(over.segment()).isEqualTo(seg);
        }
    }

    @Test
    void putOfAnotherBufferCopiesWhatFitsAndAdvancesBoth() {
        IoBuf src = IoBuf.wrap(new byte[] {1, 2, 3, 4, 5, 6});
        IoBuf dst = IoBuf.allocateDirect(4);
        assertThat(dst.put(src)).isEqualTo(4);
        assertThat(src.position()).isEqualTo(4);
        assertThat(dst.flip().toByteArray()).containsExactly(1, 2, 3, 4);
    }

    @Test
    void indexOfFindsAByteBetweenPositionAndLimit() {
        IoBuf buf = IoBuf.wrap("ab\ncd\n".getBytes());
        assertThat(buf.indexOf((byte) '\n')).isEqualTo(2);
        buf.position(3);
        assertThat(buf.indexOf((byte) '\n')).isEqualTo(5);
        buf.limit(5);
        assertThat(buf.indexOf((byte) '\n')).isEqualTo(-1);
    }

    @Test
    void toStringShowsPositionLimitCapacityAndKind() {
        IoBuf buf = IoBuf.allocateDirect(16).put((byte) 1);
        assertThat(buf).hasToString("IoBuf[pos=1 lim=16 cap=16 direct]");
        assertThat(IoBuf.allocate(4).readable()).hasToString("IoBuf[pos=0 lim=4 cap=4 heap read-only]");
    }
}
