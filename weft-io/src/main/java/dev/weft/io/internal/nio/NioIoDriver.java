package dev.weft.io.internal.nio;

import dev.weft.Context;
import dev.weft.Future;
import dev.weft.Poll;
import dev.weft.io.internal.PoolFile;
import dev.weft.io.spi.FileHandle;
import dev.weft.io.spi.IoDriver;
import dev.weft.io.spi.ListenSocket;
import dev.weft.io.spi.StreamSocket;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.util.Set;

/**
 * The built-in readiness driver as weft-io's {@link IoDriver}: sockets through a runtime's
 * {@link NioDriver} (a selector), files on the blocking pool ({@link PoolFile}: file systems offer
 * no readiness). {@link #INSTANCE} serves the runtime current at each call; {@link #of} one named
 * runtime, whichever runtime the caller runs on ({@code dev.weft.io.RuntimeIo}).
 */
public final class NioIoDriver implements IoDriver {
    public static final NioIoDriver INSTANCE = new NioIoDriver(null);

    private final dev.weft.Runtime runtime;     // null: the current one

    private NioIoDriver(dev.weft.Runtime runtime) {
        this.runtime = runtime;
    }

    /** The NIO driver of {@code runtime}, for I/O bound to it whatever runtime the caller is on. */
    public static NioIoDriver of(dev.weft.Runtime runtime) {
        return new NioIoDriver(java.util.Objects.requireNonNull(runtime, "runtime"));
    }

    private NioDriver selector() {
        return runtime == null ? NioDriver.current() : NioDriver.of(runtime);
    }

    @Override
    public String name() {
        return "nio";
    }

    @Override
    public FileHandle openFile(Path path, Set<? extends OpenOption> options) throws IOException {
        return PoolFile.open(path, options);
    }

    @Override
    public ListenSocket listen(InetSocketAddress address, int backlog) throws IOException {
        return NioListenSocket.bind(selector(), address, backlog);
    }

    @Override
    public dev.weft.io.spi.DatagramSocket bindUdp(InetSocketAddress address) throws IOException {
        return NioDatagramSocket.bind(selector(), address);
    }

    @Override
    public ListenSocket listenUnix(java.net.UnixDomainSocketAddress address, int backlog) throws IOException {
        return NioListenSocket.bindUnix(selector(), address, backlog);
    }

    @Override
    public Future<StreamSocket> connectUnix(java.net.UnixDomainSocketAddress address) {
        return connectTo(address);
    }

    @Override
    public Future<StreamSocket> connect(InetSocketAddress address) {
        return connectTo(address);
    }

    private Future<StreamSocket> connectTo(java.net.SocketAddress address) {
        boolean unix = address instanceof java.net.UnixDomainSocketAddress;
        return new Future<>() {
            private SocketChannel ch;
            private Registration reg;

            @Override
            public Poll<StreamSocket> poll(Context cx) {
                try {
                    if (ch == null) {
                        NioDriver driver = selector();
                        ch = unix ? SocketChannel.open(java.net.StandardProtocolFamily.UNIX) : SocketChannel.open();
                        if (!unix) {
                            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
                        }
                        reg = driver.register(ch);
                        if (ch.connect(address)) {
                            return done();
                        }
                    }
                    return NioChannels.finishConnect(cx, ch, reg) ? done() : Poll.pending();
                } catch (IOException e) {
                    drop();
                    throw new UncheckedIOException(e);
                } catch (RuntimeException e) {
                    drop();
                    throw e;
                }
            }

            private Poll<StreamSocket> done() {
                StreamSocket s = new NioStreamSocket(ch, reg);
                ch = null;
                return Poll.ready(s);
            }

            @Override
            public void drop() {
                if (ch != null) {
                    if (reg != null) {
                        reg.close();
                    } else {
                        try {
                            ch.close();
                        } catch (IOException ignored) {
                            // closing
                        }
                    }
                    ch = null;
                }
            }

            @Override
            public String toString() {
                return "connect(" + address + ")";
            }
        };
    }
}
