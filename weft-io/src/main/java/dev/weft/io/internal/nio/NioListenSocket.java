package dev.weft.io.internal.nio;

import dev.weft.Context;
import dev.weft.Poll;
import dev.weft.io.spi.ListenSocket;
import dev.weft.io.spi.StreamSocket;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/** A listening socket on the NIO driver: a connection is taken from the kernel only in the poll that returns it. */
public final class NioListenSocket implements ListenSocket {
    private final ServerSocketChannel channel;
    private final Registration reg;
    private final boolean unix;

    private NioListenSocket(ServerSocketChannel channel, Registration reg, boolean unix) {
        this.channel = channel;
        this.reg = reg;
        this.unix = unix;
    }

    static NioListenSocket bind(NioDriver driver, InetSocketAddress address, int backlog) throws IOException {
        ServerSocketChannel ch = ServerSocketChannel.open();
        try {
            ch.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            ch.bind(address, backlog);
            return new NioListenSocket(ch, driver.register(ch), false);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /** A listening Unix domain socket at {@code address} (the file must not exist). */
    static NioListenSocket bindUnix(NioDriver driver, java.net.UnixDomainSocketAddress address, int backlog) throws IOException {
        ServerSocketChannel ch = ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX);
        boolean bound = false;
        try {
            ch.bind(address, backlog);
            bound = true;
            return new NioListenSocket(ch, driver.register(ch), true);
        } catch (IOException | RuntimeException e) {
            ch.close();
            if (bound) {
                try {
                    java.nio.file.Files.deleteIfExists(address.getPath());   // the file this bind made: nobody listens
                } catch (IOException left) {
                    // the next bind reports the file left behind
                }
            }
            throw e;
        }
    }

    @Override
    public java.net.SocketAddress localAddress() {
        try {
            return channel.getLocalAddress();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public Poll<StreamSocket> pollAccept(Context cx) {
        SocketChannel c = NioChannels.accept(cx, channel, reg);
        if (c == null) {
            return Poll.pending();
        }
        try {
            return Poll.ready(NioStreamSocket.accepted(c, reg.driver(), unix));
        } catch (IOException e) {
            try {
                c.close();
            } catch (IOException ignored) {
                // closing
            }
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public boolean isOpen() {
        return !reg.isClosed() && channel.isOpen();
    }

    /** The driver thread closes the channel and the caller waits for it (at most 5 s), so the port is free after. */
    @Override
    public void close() {
        reg.driver().closeAndWait(reg);
    }
}
