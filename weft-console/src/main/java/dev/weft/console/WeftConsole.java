package dev.weft.console;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The live console: a web page that shows every open Weft runtime (workers, task counts, scheduler
 * counters) and every live task (state and for how long, polls, wakes, what it waits on, its
 * stack), refreshed each second. Open {@link #uri()} in a browser.
 *
 * {@snippet class="dev.weft.console.snippets.ConsoleSnippets" region="start"}
 *
 * <p>Without code changes, {@code -Dweft.console=8080} (or {@code HOST:PORT}) starts one when the
 * first runtime is built, and prints its address on standard error.
 *
 * <p><b>What it serves.</b> {@code GET /} the page ({@code index.html}, {@code app.js},
 * {@code app.css}, from this module's jar: no CDN, nothing fetched from elsewhere);
 * {@code GET /api/dump} the process's task dump as JSON ({@link dev.weft.Weft#dumpJson()};
 * {@code ?stacks=full} for {@link dev.weft.Weft.Stacks#FULL full stacks}); {@code GET /api/runtimes}
 * a JSON array with the attributes of each runtime's {@link dev.weft.spi.WeftRuntimeMXBean}. Any
 * other path is 404, any other method 405; nothing is cached. Each refresh of an open page takes a
 * task dump, which costs O(live tasks) and a stack walk per sequential task; the page waits longer
 * between refreshes when a dump is slow.
 *
 * <p><b>Who can see it.</b> {@link #start(int)} listens on {@code 127.0.0.1} only, and on loopback
 * the console answers only requests addressed to {@code 127.0.0.1}, {@code localhost} or
 * {@code [::1]} (a guard against DNS rebinding). The page shows task names, stacks and what tasks
 * wait on; {@link #start(InetSocketAddress)} on another address shows them to anyone who can reach
 * it, without authentication.
 *
 * <p><b>Threads.</b> Requests are served by the JDK's {@code com.sun.net.httpserver} on two
 * platform threads of the console's own ({@code weft-console-PORT-N}) and its dispatcher thread,
 * never on a runtime's workers; all are daemon threads, so an open console never keeps the JVM
 * alive. Methods of this class are thread-safe. {@code start} and {@code close} block briefly (a
 * bind, a thread start or join): call them from the program's own threads, not from a task.
 */
public final class WeftConsole implements AutoCloseable {
    /** Threads that answer requests; one open page needs one at a time. */
    private static final int HANDLER_THREADS = 2;
    private static final byte[] LOOPBACK_V4 = {127, 0, 0, 1};

    private final HttpServer server;
    private final ExecutorService handlers;
    private final InetSocketAddress address;
    private final URI uri;
    private final AtomicBoolean closed = new AtomicBoolean();

    private WeftConsole(HttpServer server, ExecutorService handlers, InetSocketAddress address, URI uri) {
        this.server = server;
        this.handlers = handlers;
        this.address = address;
        this.uri = uri;
    }

    /**
     * Starts a console on {@code 127.0.0.1:port}, reachable from this machine only.
     *
     * {@snippet class="dev.weft.console.snippets.ConsoleSnippets" region="start"}
     *
     * @param port the TCP port, or 0 for any free port ({@link #address()} tells which)
     * @return the running console; {@link #close()} it to stop serving
     * @throws IllegalArgumentException if {@code port} is not in 0..65535
     * @throws UncheckedIOException if the port cannot be bound (for example, it is in use): the
     *         message names the port; its cause is the {@link BindException}
     */
    public static WeftConsole start(int port) {
        checkPort(port);
        InetAddress loopback;
        try {
            loopback = InetAddress.getByAddress("127.0.0.1", LOOPBACK_V4);
        } catch (UnknownHostException e) {
            throw new AssertionError("a literal IPv4 address always resolves", e);
        }
        return start(new InetSocketAddress(loopback, port), ConsoleData.live());
    }

    /**
     * Starts a console on the given address: the only way to serve it beyond this machine, for
     * example {@code new InetSocketAddress("0.0.0.0", 8080)} on every interface. Anyone who can
     * reach that address sees the page (task names, stacks); there is no authentication.
     *
     * {@snippet class="dev.weft.console.snippets.ConsoleSnippets" region="startOnAddress"}
     *
     * @param address a resolved host and a port (port 0 for any free port)
     * @return the running console; {@link #close()} it to stop serving
     * @throws IllegalArgumentException if {@code address} is unresolved
     * @throws UncheckedIOException if the address cannot be bound (the port is in use, or the host
     *         is not an address of this machine): the message says which and what to do
     */
    public static WeftConsole start(InetSocketAddress address) {
        return start(address, ConsoleData.live());
    }

    /** {@link #start(InetSocketAddress)} over the given data: tests serve a dump of their own. */
    static WeftConsole start(InetSocketAddress address, ConsoleData data) {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(data, "data");
        if (address.isUnresolved()) {
            throw new IllegalArgumentException("weft console: cannot resolve the host '" + address.getHostString()
                    + "': give an address of this machine, or use WeftConsole.start(port) for 127.0.0.1");
        }
        ConsoleHandler handler = new ConsoleHandler(data, address.getAddress().isLoopbackAddress());
        HttpServer server;
        try {
            server = HttpServer.create(address, 0);
        } catch (IOException e) {
            throw cannotBind(address, e);
        }
        InetSocketAddress bound = server.getAddress();
        ExecutorService handlers = Executors.newFixedThreadPool(HANDLER_THREADS,
                Thread.ofPlatform().name("weft-console-" + bound.getPort() + "-", 1).daemon().factory());
        server.setExecutor(handlers);
        server.createContext("/", handler);
        try {
            startFromDaemonThread(server);
        } catch (RuntimeException | Error e) {
            handlers.shutdownNow();
            throw e;
        }
        return new WeftConsole(server, handlers, bound, uriOf(bound));
    }

    /**
     * The address the console listens on, with the port it was given or, for port 0, the one the
     * system picked.
     *
     * {@snippet class="dev.weft.console.snippets.ConsoleSnippets" region="start"}
     *
     * @return the bound host and port
     */
    public InetSocketAddress address() {
        return address;
    }

    /**
     * The page's address, for example {@code http://127.0.0.1:8080/}: open it in a browser. On a
     * wildcard address ({@code 0.0.0.0}) it is the loopback one, which works from this machine.
     *
     * {@snippet class="dev.weft.console.snippets.ConsoleSnippets" region="start"}
     *
     * @return {@code http://HOST:PORT/}
     */
    public URI uri() {
        return uri;
    }

    /**
     * Stops serving: closes the listening socket and open connections at once (an open page then
     * shows "disconnected") and ends the console's threads. Idempotent; does not touch any runtime.
     *
     * {@snippet class="dev.weft.console.snippets.ConsoleSnippets" region="start"}
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        server.stop(0);           // closes the socket and connections, joins the dispatcher thread
        handlers.shutdownNow();
    }

    /** The console's address, for example {@code WeftConsole[http://127.0.0.1:8080/]}. */
    @Override
    public String toString() {
        return "WeftConsole[" + uri + (closed.get() ? ", closed" : "") + "]";
    }

    private static void checkPort(int port) {
        if (port < 0 || port > 0xFFFF) {
            throw new IllegalArgumentException("weft console: " + port + " is not a TCP port: give 1-65535, or 0 for any free port");
        }
    }

    private static UncheckedIOException cannotBind(InetSocketAddress address, IOException e) {
        String where = hostAndPort(address.getAddress(), address.getPort());
        String why = String.valueOf(e.getMessage());
        String advice;
        if (why.contains("in use")) {
            advice = "port " + address.getPort() + " is in use: stop what listens on it, or pick another port (0 picks any free one)";
        } else if (why.contains("assign")) {
            advice = address.getAddress().getHostAddress() + " is not an address of this machine: use one of its addresses,"
                    + " 0.0.0.0 for all, or WeftConsole.start(port) for 127.0.0.1";
        } else {
            advice = "pick another port (0 picks any free one), or another address";
        }
        BindException cause = new BindException("weft console: cannot listen on " + where + " (" + why + "): " + advice);
        cause.initCause(e);
        return new UncheckedIOException(cause.getMessage(), cause);
    }

    /**
     * Starts the server from a daemon thread of its own: the JDK's HTTP server makes its dispatcher
     * thread a daemon exactly when the thread that calls {@code start()} is one, and an open console
     * must not keep the JVM alive.
     */
    private static void startFromDaemonThread(HttpServer server) {
        FutureTask<Void> start = new FutureTask<>(server::start, null);
        Thread.ofPlatform().name("weft-console-start").daemon().start(start);
        boolean interrupted = false;
        try {
            for (;;) {
                try {
                    start.get();
                    return;
                } catch (InterruptedException e) {
                    interrupted = true;   // the start takes microseconds: finish it, then restore the flag
                } catch (ExecutionException e) {
                    server.stop(0);
                    throw new IllegalStateException("weft console: the HTTP server did not start", e.getCause());
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static URI uriOf(InetSocketAddress bound) {
        InetAddress host = bound.getAddress();
        if (host.isAnyLocalAddress()) {
            host = InetAddress.getLoopbackAddress();
        }
        try {
            return new URI("http", null, host.getHostAddress(), bound.getPort(), "/", null, null);
        } catch (URISyntaxException e) {
            throw new IllegalStateException("weft console: no URI for " + bound, e);
        }
    }

    private static String hostAndPort(InetAddress host, int port) {
        String h = host.getHostAddress();
        return (h.indexOf(':') >= 0 ? "[" + h + "]" : h) + ":" + port;
    }
}
