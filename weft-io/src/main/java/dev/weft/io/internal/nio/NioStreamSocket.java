package dev.weft.io.internal.nio;

import dev.weft.Context;
import dev.weft.io.IoBuf;
import dev.weft.io.spi.StreamSocket;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * A TCP connection on the NIO driver: a read or write is done inside one poll (a non-blocking
 * channel call), so a cancelled wait loses nothing: bytes the kernel handed over are in the
 * caller's buffer, bytes not yet read stay in the kernel.
 */
public final class NioStreamSocket implements StreamSocket {
    private final SocketChannel channel;
    private final Registration reg;

    public NioStreamSocket(SocketChannel channel, Registration reg) {
        this.channel = channel;
        this.reg = reg;
    }

    /** An accepted channel, registered with {@code driver}; no-delay on for TCP ({@code unix} false). */
    public static NioStreamSocket accepted(SocketChannel channel, NioDriver driver, boolean unix) throws IOException {
        if (!unix) {
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        }
        return new NioStreamSocket(channel, driver.register(channel));
    }

    /** For {@code transferTo} from a file (TcpStream.sendFile). */
    public SocketChannel channel() {
        return channel;
    }

    public Registration registration() {
        return reg;
    }

    @Override
    public int pollRead(Context cx, IoBuf dst) {
        ByteBuffer bb = dst.asByteBuffer();
        int n = NioChannels.read(cx, channel, reg, bb);
        if (n > 0) {
            dst.advance(n);
        }
        return n;
    }

    @Override
    public int pollWrite(Context cx, IoBuf src) {
        ByteBuffer bb = src.asByteBuffer();
        int n = NioChannels.write(cx, channel, reg, bb);
        if (n > 0) {
            src.advance(n);
        }
        return n;
    }

    /** Writes go straight to the socket: nothing to flush. */
    @Override
    public boolean pollFlush(Context cx) {
        return true;
    }

    @Override
    public boolean pollShutdown(Context cx) {
        try {
            channel.shutdownOutput();
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void setNoDelay(boolean on) throws IOException {
        channel.setOption(StandardSocketOptions.TCP_NODELAY, on);
    }

    @Override
    public void setKeepAlive(boolean on) throws IOException {
        channel.setOption(StandardSocketOptions.SO_KEEPALIVE, on);
    }

    @Override
    public void shutdownInput() throws IOException {
        channel.shutdownInput();
    }

    @Override
    public void shutdownOutput() throws IOException {
        channel.shutdownOutput();
    }

    @Override
    public void abort() {
        try {
            channel.setOption(StandardSocketOptions.SO_LINGER, 0);
        } catch (IOException e) {
            // closing anyway
        }
        close();
    }

    @Override
    public java.net.SocketAddress localAddress() throws IOException {
        return channel.getLocalAddress();
    }

    @Override
    public java.net.SocketAddress remoteAddress() throws IOException {
        return channel.getRemoteAddress();
    }

    @Override
    public boolean isOpen() {
        return !reg.isClosed() && channel.isOpen();
    }

    @Override
    public void close() {
        reg.close();            // the driver thread closes the channel (see NioDriver)
    }

    /**
     * As its {@code TcpStream} or {@code UnixStream} says it, for task dumps:
     * {@code TcpStream[/127.0.0.1:5000 -> /127.0.0.1:41000]}, {@code UnixStream[/run/app.sock]}.
     */
    @Override
    public String toString() {
        try {
            if (!isOpen()) {
                return "stream[closed]";
            }
            java.net.SocketAddress local = localAddress();
            if (local instanceof java.net.UnixDomainSocketAddress) {
                return "UnixStream[" + unixPath(local, remoteAddress()) + "]";
            }
            return "TcpStream[" + local + " -> " + remoteAddress() + "]";
        } catch (IOException | RuntimeException e) {
            return "TcpStream[?]";
        }
    }

    /** The path that names the connection: the listener's (the side that has one). */
    private static String unixPath(java.net.SocketAddress local, java.net.SocketAddress remote) {
        String l = ((java.net.UnixDomainSocketAddress) local).getPath().toString();
        String r = remote instanceof java.net.UnixDomainSocketAddress u ? u.getPath().toString() : "";
        return l.isEmpty() ? r : r.isEmpty() ? l : l + " <- " + r;
    }
}
