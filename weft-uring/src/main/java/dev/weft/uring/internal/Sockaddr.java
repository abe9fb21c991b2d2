package dev.weft.uring.internal;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteOrder;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/**
 * {@code struct sockaddr_in} / {@code sockaddr_in6} to and from {@link InetSocketAddress}: family
 * in host order, port and address in network order (big-endian); {@code struct sockaddr_un} to and
 * from {@link UnixDomainSocketAddress}: family, then {@code sun_path}, 108 bytes, NUL-terminated
 * (the path in the platform's file-name encoding, as the JDK writes it).
 */
final class Sockaddr {
    static final int AF_UNIX = 1;
    static final int AF_INET = 2;
    static final int AF_INET6 = 10;
    static final int SOCK_STREAM = 1;
    static final int SOCK_DGRAM = 2;
    static final int SOCK_CLOEXEC = 0x80000;
    static final int SOL_SOCKET = 1;
    static final int SO_REUSEADDR = 2;
    static final int SO_KEEPALIVE = 9;
    static final int SO_LINGER = 13;
    static final int IPPROTO_TCP = 6;
    static final int TCP_NODELAY = 1;
    static final int SHUT_RD = 0;
    static final int SHUT_WR = 1;
    static final int MSG_NOSIGNAL = 0x4000;
    /** Room for either kind ({@code sockaddr_in6} is 28 bytes; {@code sockaddr_storage} 128). */
    static final int MAX = 128;
    /** {@code offsetof(struct sockaddr_un, sun_path)}: after the 2-byte family. */
    static final int SUN_PATH = 2;
    /** {@code sizeof(sun_path)}: a path of at most 107 bytes, with its NUL. */
    static final int SUN_PATH_SIZE = 108;
    /** How the JDK encodes file names (and so Unix socket paths) on this platform. */
    private static final Charset PATHS = Charset.forName(System.getProperty("sun.jnu.encoding", "UTF-8"), StandardCharsets.UTF_8);
    private static final ValueLayout.OfShort BE_SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private Sockaddr() { }

    static int family(InetSocketAddress a) {
        return a.getAddress() instanceof Inet6Address ? AF_INET6 : AF_INET;
    }

    /** The address in memory from {@link Native} (the caller frees it); its length is {@code byteSize()}. */
    static MemorySegment encodeNative(InetSocketAddress a) {
        return encode(Native::allocate, a);
    }

    /** The address in native memory from {@code arena}; its length is {@code byteSize()}. */
    static MemorySegment encode(Arena arena, InetSocketAddress a) {
        return encode(n -> arena.allocate(n, 4), a);
    }

    private static MemorySegment encode(java.util.function.LongFunction<MemorySegment> alloc, InetSocketAddress a) {
        InetAddress ip = a.getAddress();
        if (ip == null) {
            throw new IllegalArgumentException("an unresolved address: " + a);
        }
        byte[] raw = ip.getAddress();
        if (ip instanceof Inet4Address) {
            MemorySegment s = alloc.apply(16);
            s.set(ValueLayout.JAVA_SHORT, 0, (short) AF_INET);
            s.set(BE_SHORT, 2, (short) a.getPort());
            MemorySegment.copy(raw, 0, s, ValueLayout.JAVA_BYTE, 4, 4);
            return s;
        }
        MemorySegment s = alloc.apply(28);
        s.set(ValueLayout.JAVA_SHORT, 0, (short) AF_INET6);
        s.set(BE_SHORT, 2, (short) a.getPort());
        MemorySegment.copy(raw, 0, s, ValueLayout.JAVA_BYTE, 8, 16);
        s.set(ValueLayout.JAVA_INT, 24, ((Inet6Address) ip).getScopeId());
        return s;
    }

    /** The Unix socket address in memory from {@link Native} (the caller frees it); its length is {@code byteSize()}. */
    static MemorySegment encodeNative(UnixDomainSocketAddress a) throws IOException {
        byte[] path = unixPath(a);
        return encodeUnix(Native.allocate(SUN_PATH + path.length + 1), path);
    }

    /** The Unix socket address in native memory from {@code arena}; its length is {@code byteSize()}. */
    static MemorySegment encode(Arena arena, UnixDomainSocketAddress a) throws IOException {
        byte[] path = unixPath(a);
        return encodeUnix(arena.allocate(SUN_PATH + path.length + 1, 2), path);
    }

    /**
     * A {@code sockaddr_un} cut to the length bind and connect take: the family, the path's bytes
     * and its NUL ({@code offsetof(sun_path) + strlen(path) + 1}).
     */
    private static MemorySegment encodeUnix(MemorySegment s, byte[] path) {
        s.set(ValueLayout.JAVA_SHORT, 0, (short) AF_UNIX);
        MemorySegment.copy(path, 0, s, ValueLayout.JAVA_BYTE, SUN_PATH, path.length);
        s.set(ValueLayout.JAVA_BYTE, SUN_PATH + path.length, (byte) 0);
        return s;
    }

    /** The path's bytes, checked to fit {@code sun_path} with its NUL. */
    private static byte[] unixPath(UnixDomainSocketAddress a) throws IOException {
        String path = a.getPath().toString();
        if (path.isEmpty()) {
            throw new IOException("an empty path names no Unix domain socket");
        }
        byte[] raw = path.getBytes(PATHS);
        if (raw.length >= SUN_PATH_SIZE) {
            throw new IOException("the Unix domain socket path " + path + " is " + raw.length + " bytes long, more than the "
                    + (SUN_PATH_SIZE - 1) + " that fit in sockaddr_un's sun_path: use a shorter path");
        }
        return raw;
    }

    /** The address in {@code s}, all of whose bytes are the address (an unnamed Unix socket's path zeroed). */
    static SocketAddress decode(MemorySegment s) {
        return decode(s, (int) s.byteSize());
    }

    /**
     * The address in the first {@code len} bytes of {@code s} (the length getsockname, getpeername
     * or recvmsg reported): an {@link InetSocketAddress}, or a {@link UnixDomainSocketAddress}
     * (an unnamed socket, such as a client's own end, reports the family alone: the empty path).
     */
    static SocketAddress decode(MemorySegment s, int len) {
        int family = s.get(ValueLayout.JAVA_SHORT, 0);
        if (family == AF_UNIX) {
            int end = SUN_PATH;
            int limit = (int) Math.min(Math.min(len, s.byteSize()), SUN_PATH + SUN_PATH_SIZE);
            while (end < limit && s.get(ValueLayout.JAVA_BYTE, end) != 0) {
                end++;
            }
            byte[] raw = new byte[end - SUN_PATH];
            MemorySegment.copy(s, ValueLayout.JAVA_BYTE, SUN_PATH, raw, 0, raw.length);
            return UnixDomainSocketAddress.of(new String(raw, PATHS));
        }
        int port = Short.toUnsignedInt(s.get(BE_SHORT, 2));
        try {
            if (family == AF_INET) {
                byte[] raw = new byte[4];
                MemorySegment.copy(s, ValueLayout.JAVA_BYTE, 4, raw, 0, 4);
                return new InetSocketAddress(InetAddress.getByAddress(raw), port);
            }
            if (family == AF_INET6) {
                byte[] raw = new byte[16];
                MemorySegment.copy(s, ValueLayout.JAVA_BYTE, 8, raw, 0, 16);
                return new InetSocketAddress(Inet6Address.getByAddress(null, raw, s.get(ValueLayout.JAVA_INT, 24)), port);
            }
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);     // raw addresses of the right length: not reached
        }
        throw new IllegalArgumentException("address family " + family + " is neither IPv4, IPv6 nor Unix");
    }

    /** The socket's local ({@code peer} false) or remote address, of the socket's family. */
    static SocketAddress of(int fd, boolean peer) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment s = arena.allocate(MAX, 8);
            int len = Sys.sockName(fd, peer, s);
            return decode(s, len);
        }
    }
}
