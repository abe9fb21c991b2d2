/**
 * Weft's live console: a web page that shows every open runtime's tasks, refreshed each second,
 * served by the JDK's HTTP server on loopback. Start it in code with
 * {@link dev.weft.console.WeftConsole#start(int)}, or without code changes with
 * {@code -Dweft.console=PORT} (or {@code HOST:PORT}): the {@link dev.weft.spi.DiagnosticsAgent}
 * this module provides starts it when the first runtime is built.
 */
module dev.weft.console {
    requires dev.weft.core;
    requires jdk.httpserver;
    requires java.management;

    exports dev.weft.console;

    provides dev.weft.spi.DiagnosticsAgent with dev.weft.console.internal.ConsoleAgent;
}
