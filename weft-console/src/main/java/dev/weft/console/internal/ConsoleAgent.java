package dev.weft.console.internal;

import dev.weft.console.WeftConsole;
import dev.weft.spi.DiagnosticsAgent;
import java.net.InetSocketAddress;

/**
 * Starts a {@link WeftConsole} for {@code -Dweft.console=PORT} (on 127.0.0.1) or
 * {@code -Dweft.console=HOST:PORT} ({@code [::1]:PORT} for an IPv6 address), and prints where on
 * standard error. Found by the core with {@link java.util.ServiceLoader} (registered in
 * {@code module-info.java} and in {@code META-INF/services}) and started once per process on the
 * core's {@code weft-clock} thread, never on a worker; a failure (a port in use) is thrown, and the
 * core reports it and goes on. Not exported: users start a console with {@link WeftConsole}.
 */
public final class ConsoleAgent implements DiagnosticsAgent {
    private static final String PROPERTY = "weft.console";

    /** The console this agent started, once started (read by tests). */
    private volatile WeftConsole console;

    /** For {@link java.util.ServiceLoader}. */
    public ConsoleAgent() { }

    @Override
    public String property() {
        return PROPERTY;
    }

    @Override
    public void start(String value) {
        String v = value.trim();
        WeftConsole started = v.indexOf(':') < 0 ? WeftConsole.start(port(v, value)) : WeftConsole.start(address(v, value));
        console = started;
        System.err.println("weft: console at " + started.uri() + " (-D" + PROPERTY + "=" + value + ")");
    }

    /** The console started by {@link #start}, or null. */
    WeftConsole console() {
        return console;
    }

    /** {@code HOST:PORT} or {@code [IPv6]:PORT}; resolved here, so a bad host is reported now. */
    static InetSocketAddress address(String v, String value) {
        String host;
        String port;
        if (v.startsWith("[")) {
            int end = v.indexOf(']');
            if (end < 0 || end + 1 >= v.length() || v.charAt(end + 1) != ':') {
                throw bad(value, "an IPv6 address goes in brackets, followed by the port: [::1]:8080");
            }
            host = v.substring(1, end);
            port = v.substring(end + 2);
        } else {
            int colon = v.lastIndexOf(':');
            if (v.indexOf(':') != colon) {
                throw bad(value, "an IPv6 address goes in brackets, followed by the port: [::1]:8080");
            }
            host = v.substring(0, colon);
            port = v.substring(colon + 1);
        }
        if (host.isEmpty()) {
            throw bad(value, "the host is empty: give PORT alone for 127.0.0.1, or HOST:PORT");
        }
        return new InetSocketAddress(host, port(port, value));
    }

    /** A port number 0..65535 (0: any free port). */
    static int port(String s, String value) {
        int p;
        try {
            p = Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw bad(value, "'" + s + "' is not a port number");
        }
        if (p < 0 || p > 0xFFFF) {
            throw bad(value, p + " is not a TCP port (1-65535, or 0 for any free port)");
        }
        return p;
    }

    private static IllegalArgumentException bad(String value, String why) {
        return new IllegalArgumentException("-D" + PROPERTY + "=" + value + ": " + why
                + ". Give PORT (for example -D" + PROPERTY + "=8080, on 127.0.0.1) or HOST:PORT.");
    }
}
