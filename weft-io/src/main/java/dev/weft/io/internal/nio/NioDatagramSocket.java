package dev.weft.io.internal.nio;

import dev.weft.Context;
import dev.weft.Future;
import dev.weft.Poll;
import dev.weft.io.IoBuf;
import dev.weft.io.spi.DatagramSocket;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;

/** A UDP socket on the NIO driver: a datagram is taken from the kernel only in the poll that returns it. */
public final class NioDatagramSocket implements DatagramSocket {
    private final DatagramChannel channel;
    private final Registration reg;

    private NioDatagramSocket(DatagramChannel channel, Registration reg) {
        this.channel = channel;
        this.reg = reg;
    }

    static NioDatagramSocket bind(NioDriver driver, InetSocketAddress address) throws IOException {
        DatagramChannel ch = DatagramChannel.open();
        try {
            ch.bind(address);
            return new NioDatagramSocket(ch, driver.register(ch));
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    @Override
    public InetSocketAddress localAddress() {
        try {
            return (InetSocketAddress) channel.getLocalAddress();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void connect(InetSocketAddress peer) throws IOException {
        channel.connect(peer);
    }

    @Override
    public boolean isConnected() {
        return channel.isConnected();
    }

    @Override
    public Poll<SocketAddress> pollReceive(Context cx, IoBuf dst) {
        ByteBuffer bb = dst.asByteBuffer();
        int before = bb.position();
        SocketAddress from = NioChannels.receive(cx, channel, reg, bb);
        if (from == null) {
            return Poll.pending();
        }
        dst.advance(bb.position() - before);
        return Poll.ready(from);
    }

    @Override
    public Future<Void> send(IoBuf src, InetSocketAddress to) {
        return cx -> {
            ByteBuffer bb = src.asByteBuffer();
            int before = bb.position();
            if (!NioChannels.send(cx, channel, reg, bb, to)) {
                return Poll.pending();
            }
            src.advance(bb.position() - before);
            return Poll.ready(null);
        };
    }

    @Override
    public boolean isOpen() {
        return !reg.isClosed() && channel.isOpen();
    }

    @Override
    public void close() {
        reg.driver().closeAndWait(reg);
    }
}
