package dev.weft.uring.internal;

import static dev.weft.uring.internal.RingTestSupport.assumeUring;
import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RingFileTest {
    @TempDir
    Path dir;

    @BeforeEach
    void needsUring() {
        assumeUring();
    }

    /** One operation through the ring: its CQE's res (the user_data must come back). */
    private static int run(Ring ring, int opcode, int fd, MemorySegment buf, int len, long offset) throws Exception {
        assertThat(ring.prepare(opcode, fd, buf.address(), len, offset, 77)).isTrue();
        ring.submitAndWait(1);
        int[] res = {Integer.MIN_VALUE};
        long[] ud = {-1};
        assertThat(ring.reap((u, r, f) -> {
            ud[0] = u;
            res[0] = r;
        })).isEqualTo(1);
        assertThat(ud[0]).isEqualTo(77);
        return res[0];
    }

    @Test
    void readsAFileAtAnOffset() throws Exception {
        byte[] content = new byte[8192];
        for (int i = 0; i < content.length; i++) {
            content[i] = (byte) (i * 31 + 7);
        }
        Path file = Files.write(dir.resolve("data"), content);
        int fd = Sys.open(file.toString(), Sys.O_RDONLY | Sys.O_CLOEXEC, 0);
        try (Ring ring = new Ring(8); Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(1000);
            int res = run(ring, Opcode.READ, fd, buf, 1000, 4000);
            assertThat(res).isEqualTo(1000);
            byte[] expected = new byte[1000];
            System.arraycopy(content, 4000, expected, 0, 1000);
            assertThat(buf.toArray(ValueLayout.JAVA_BYTE)).isEqualTo(expected);
            // past the end: a short read, then 0
            assertThat(run(ring, Opcode.READ, fd, buf, 1000, 8000)).isEqualTo(192);
            assertThat(run(ring, Opcode.READ, fd, buf, 1000, 8192)).isZero();
        } finally {
            Sys.close(fd);
        }
    }

    @Test
    void writesThenReadsBack() throws Exception {
        Path file = Files.createFile(dir.resolve("out"));
        int fd = Sys.open(file.toString(), Sys.O_RDWR | Sys.O_CLOEXEC, 0);
        byte[] text = "written through io_uring, read back through io_uring".getBytes(StandardCharsets.UTF_8);
        try (Ring ring = new Ring(8); Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocateFrom(ValueLayout.JAVA_BYTE, text);
            assertThat(run(ring, Opcode.WRITE, fd, out, text.length, 100)).isEqualTo(text.length);
            MemorySegment in = arena.allocate(text.length);
            assertThat(run(ring, Opcode.READ, fd, in, text.length, 100)).isEqualTo(text.length);
            assertThat(in.toArray(ValueLayout.JAVA_BYTE)).isEqualTo(text);
        } finally {
            Sys.close(fd);
        }
        byte[] onDisk = Files.readAllBytes(file);
        assertThat(onDisk).hasSize(100 + text.length);
        assertThat(new String(onDisk, 100, text.length, StandardCharsets.UTF_8))
                .isEqualTo(new String(text, StandardCharsets.UTF_8));
    }

    @Test
    void aBadDescriptorIsANegativeResultNotAnException() throws Exception {
        try (Ring ring = new Ring(8); Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(16);
            assertThat(run(ring, Opcode.READ, -1, buf, 16, 0)).isEqualTo(-Errno.EBADF);
            assertThat(run(ring, Opcode.READ, Integer.MAX_VALUE, buf, 16, 0)).isEqualTo(-Errno.EBADF);
        }
    }

    @Test
    void sysCallsFailWithTheCallAndTheErrnoNamed() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Sys.close(-1))
                .isInstanceOf(ErrnoException.class)
                .hasMessageStartingWith("close: EBADF")
                .satisfies(e -> assertThat(((ErrnoException) e).errno()).isEqualTo(Errno.EBADF));
    }

    @Test
    void anEventfdOpensAndCloses() throws Exception {
        int fd = Sys.eventfd(0, Sys.EFD_CLOEXEC);
        assertThat(fd).isGreaterThanOrEqualTo(0);
        Sys.close(fd);
    }
}
