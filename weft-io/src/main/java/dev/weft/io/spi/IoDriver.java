package dev.weft.io.spi;

import dev.weft.Future;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.util.Set;

/**
 * The I/O driver behind a runtime's I/O types: what {@link dev.weft.io.AsyncFile},
 * {@link dev.weft.io.TcpStream}, {@link dev.weft.io.TcpListener} and {@link dev.weft.io.UdpSocket} ask to do their work. One per
 * runtime, chosen by name ({@link IoDriverProvider}): {@code nio} (readiness, built in) or
 * {@code io_uring} (completion, module weft-uring). The I/O types find it through the current
 * runtime; user code does not call it.
 */
public interface IoDriver {
    /** The driver's name, as {@code weft.io.driver} spells it ({@code nio}, {@code io_uring}). */
    String name();

    /** Opens {@code path} for {@link dev.weft.io.AsyncFile}, parking the calling sequential task. */
    FileHandle openFile(Path path, Set<? extends OpenOption> options) throws IOException;

    /**
     * Connects to {@code address} (resolved), as a future that starts at its first poll; dropping
     * it before it completes closes the half-made socket. No-delay is on.
     */
    Future<StreamSocket> connect(InetSocketAddress address);

    /** A listening TCP socket bound to {@code address} (resolved; port 0 picks one), address reuse on. */
    ListenSocket listen(InetSocketAddress address, int backlog) throws IOException;

    /** A UDP socket bound to {@code address} (resolved; port 0 picks one). */
    DatagramSocket bindUdp(InetSocketAddress address) throws IOException;

    /**
     * Connects to the Unix domain socket at {@code address} ({@link dev.weft.io.UnixStream}), as a
     * future that starts at its first poll; dropping it before it completes closes the half-made
     * socket. The default fails: the driver has none.
     */
    default Future<StreamSocket> connectUnix(java.net.UnixDomainSocketAddress address) {
        return Future.failed(new UnsupportedOperationException(noUnix()));
    }

    /**
     * A listening Unix domain socket at {@code address} ({@link dev.weft.io.UnixListener}); the
     * socket file must not exist. The default fails: the driver has none.
     */
    default ListenSocket listenUnix(java.net.UnixDomainSocketAddress address, int backlog) throws IOException {
        throw new UnsupportedOperationException(noUnix());
    }

    private String noUnix() {
        return "the " + name() + " I/O driver has no Unix domain sockets: run this runtime with -Dweft.io.driver=nio";
    }
}
