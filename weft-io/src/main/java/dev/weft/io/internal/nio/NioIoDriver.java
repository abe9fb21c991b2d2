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
            private Future<Void> backoff;          // a Unix connect that found the backlog full waits, then tries again
            private long backoffMillis;

            @Override
            public Poll<StreamSocket> poll(Context cx) {
                try {
                    if (backoff != null) {
                        if (!backoff.poll(cx).isReady()) {
                            return Poll.pending();
                        }
                        backoff = null;
                    }
                    if (ch == null) {
                        NioDriver driver = selector();
                        ch = unix ? SocketChannel.open(java.net.StandardProtocolFamily.UNIX) : SocketChannel.open();
                        if (!unix) {
                            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
                        }
                        reg = driver.register(ch);
                        if (connectOrBackOff()) {
                            return done();
                        }
                        if (backoff != null) {
                            return poll(cx);                // polls the new timer, so it wakes us
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

            /**
             * A non-blocking {@code AF_UNIX} connect whose server's backlog is full fails at once
             * with EAGAIN (a blocking one would wait, as TCP's does): then the half-made socket is
             * closed and the connect tried again after a pause (1 ms, doubling to 50 ms), until the
             * server accepts or the future is dropped.
             */
            private boolean connectOrBackOff() throws IOException {
                try {
                    return ch.connect(address);
                } catch (java.net.SocketException e) {
                    if (!unix || !String.valueOf(e.getMessage()).contains("Resource temporarily unavailable")) {
                        throw e;
                    }
                    drop();
                    backoffMillis = Math.min(50, Math.max(1, backoffMillis * 2));
                    backoff = Future.sleep(java.time.Duration.ofMillis(backoffMillis));
                    return false;
                }
            }

            private Poll<StreamSocket> done() {
                StreamSocket s = new NioStreamSocket(ch, reg);
                ch = null;
                return Poll.ready(s);
            }

            @Override
            public void drop() {
                if (backoff != null) {
                    backoff.drop();
                    backoff = null;
                }
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
