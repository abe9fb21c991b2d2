package dev.weft.io;

import dev.weft.Future;
import dev.weft.Runtime;
import dev.weft.io.internal.IoDrivers;
import dev.weft.io.spi.IoDriver;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.util.Objects;

/**
 * I/O served by one named runtime's driver, whichever runtime the caller runs on (seed 001:
 * "humboldt::io … will always use the Humboldt I/O threads, rather than using the current
 * runtime"). {@code TcpStream.connect}, {@code TcpListener.bind}, {@code UdpSocket.bind} and
 * {@code AsyncFile.open} use the <em>current</em> runtime's driver; the same calls on a
 * {@code RuntimeIo} use {@code runtime}'s, so a UI task can open a socket that the default
 * runtime's workers serve:
 *
 * {@snippet :
 * RuntimeIo net = RuntimeIo.of(workers);              // workers: the runtime whose driver serves
 * ui.spawn(() -> {                                    // a task on the Swing runtime
 *     TcpStream s = net.connect(server);              // registered with the workers' driver
 *     Io.writeAll(s, request);                        // this task parks; the EDT keeps painting
 *     IoBuf reply = Io.readToEnd(s, 64 * 1024);
 *     status.setText(reply.remaining() + " bytes");
 * });
 * }
 *
 * <p>The sockets and files belong to {@code runtime}: the runtime's driver (NIO's selector, or
 * its io_uring ring when the runtime chose {@code io_uring}) watches them, and closing the
 * runtime closes them. Tasks on any runtime may read and write them; a task waiting on one is
 * woken through its own runtime's waker. A name lookup (an unresolved address) and NIO's file
 * operations still run on the blocking pool of the runtime current at the call.
 */
public final class RuntimeIo {
    private final Runtime runtime;
    private final IoDriver driver;

    private RuntimeIo(Runtime runtime) {
        this.runtime = runtime;
        this.driver = IoDrivers.of(runtime);
    }

    /**
     * The I/O of {@code runtime}'s driver.
     *
     * @throws IllegalStateException if the runtime names an I/O driver that is not on the class path
     */
    public static RuntimeIo of(Runtime runtime) {
        return new RuntimeIo(Objects.requireNonNull(runtime, "runtime"));
    }

    /** The runtime whose driver serves this I/O. */
    public Runtime runtime() {
        return runtime;
    }

    /** The driver's name: {@code nio} or {@code io_uring}. */
    public String driverName() {
        return driver.name();
    }

    /** {@link TcpStream#connect(SocketAddress)} on this runtime's driver; parks the task until connected. */
    public TcpStream connect(SocketAddress address) throws IOException {
        return dev.weft.io.internal.Blocking.await(connectFuture(address));
    }

    /** {@link TcpStream#connectFuture(SocketAddress)} on this runtime's driver. */
    public Future<TcpStream> connectFuture(SocketAddress address) {
        return TcpStream.connectVia(address, driver);
    }

    /** {@link TcpListener#bind(SocketAddress)} on this runtime's driver; accepted streams are this runtime's too. */
    public TcpListener bind(SocketAddress address) throws IOException {
        return TcpListener.bind(address, 1024, driver);
    }

    /** {@link UdpSocket#bind(SocketAddress)} on this runtime's driver. */
    public UdpSocket bindUdp(SocketAddress address) throws IOException {
        return UdpSocket.bind(address, driver);
    }

    /** {@link AsyncFile#open(Path, OpenOption...)} on this runtime's driver. */
    public AsyncFile open(Path path, OpenOption... options) throws IOException {
        return AsyncFile.open(driver, path, options);
    }

    @Override
    public String toString() {
        return "RuntimeIo[" + runtime.name() + ", " + driver.name() + "]";
    }
}
