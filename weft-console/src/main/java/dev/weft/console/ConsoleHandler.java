package dev.weft.console;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/**
 * Answers every request of one console, on the console's handler threads (never a Weft worker):
 * the page's three files, the two JSON endpoints, 404 for any other path and 405 for any method
 * but GET. Stateless apart from the files, read once at start: safe for concurrent requests.
 */
final class ConsoleHandler implements HttpHandler {
    static final String JSON = "application/json; charset=utf-8";
    private static final String TEXT = "text/plain; charset=utf-8";
    /** The page loads only its own files and talks only to its own server. */
    private static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self';"
            + " img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private record Response(int status, String contentType, byte[] body) {
        static Response text(int status, String message) {
            return new Response(status, TEXT, (message + "\n").getBytes(StandardCharsets.UTF_8));
        }

        static Response json(String json) {
            return new Response(200, JSON, json.getBytes(StandardCharsets.UTF_8));
        }
    }

    private final ConsoleData data;
    private final boolean loopbackOnly;
    private final Map<String, Response> files;

    /**
     * @param loopbackOnly the console listens on a loopback address: answer only requests whose
     *                     {@code Host} is a loopback name, so a web page on another site cannot
     *                     read it through DNS rebinding
     */
    ConsoleHandler(ConsoleData data, boolean loopbackOnly) {
        this.data = data;
        this.loopbackOnly = loopbackOnly;
        Response index = file("index.html", "text/html; charset=utf-8");
        this.files = Map.of(
                "/", index,
                "/index.html", index,
                "/app.js", file("app.js", "text/javascript; charset=utf-8"),
                "/app.css", file("app.css", "text/css; charset=utf-8"));
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Response r;
            try {
                r = respond(exchange);
            } catch (RuntimeException | Error e) {   // a dump that failed: say so to the page, serve the next request
                r = Response.text(500, "weft console: " + e);
            }
            send(exchange, r);
        }
    }

    private Response respond(HttpExchange exchange) {
        if (loopbackOnly && !loopbackHost(exchange.getRequestHeaders().getFirst("Host"))) {
            return Response.text(403, "weft console: this console listens on loopback and answers only requests to"
                    + " 127.0.0.1, localhost or [::1] (a guard against DNS rebinding)");
        }
        String path = exchange.getRequestURI().getPath();
        boolean known = files.containsKey(path) || path.equals("/api/dump") || path.equals("/api/runtimes");
        if (!known) {
            return Response.text(404, "weft console: no page at " + path + " (try /, /api/dump or /api/runtimes)");
        }
        if (!exchange.getRequestMethod().equals("GET")) {
            exchange.getResponseHeaders().set("Allow", "GET");
            return Response.text(405, "weft console: " + exchange.getRequestMethod() + " " + path + ": only GET");
        }
        return switch (path) {
            case "/api/dump" -> Response.json(data.dumpJson(fullStacks(exchange.getRequestURI().getRawQuery())));
            case "/api/runtimes" -> Response.json(data.runtimesJson());
            default -> files.get(path);
        };
    }

    private static void send(HttpExchange exchange, Response r) throws IOException {
        Headers h = exchange.getResponseHeaders();
        h.set("Content-Type", r.contentType());
        h.set("Cache-Control", "no-store");
        h.set("X-Content-Type-Options", "nosniff");
        h.set("Content-Security-Policy", CSP);
        h.set("Referrer-Policy", "no-referrer");
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(r.status(), head || r.body().length == 0 ? -1 : r.body().length);
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(r.body());
            }
        }
    }

    /** {@code stacks=full} among the query's parameters. */
    static boolean fullStacks(String rawQuery) {
        if (rawQuery == null) {
            return false;
        }
        for (String p : rawQuery.split("&")) {
            if (p.equals("stacks=full")) {
                return true;
            }
        }
        return false;
    }

    /** A {@code Host} header naming this machine's loopback: 127.0.0.1, localhost or [::1], any port. */
    static boolean loopbackHost(String host) {
        if (host == null) {
            return true;    // HTTP/1.0 without Host: not a browser a rebinding page could use
        }
        String h = host.trim().toLowerCase(Locale.ROOT);
        if (h.startsWith("[")) {
            int end = h.indexOf(']');
            return end > 0 && h.substring(1, end).equals("::1");
        }
        int colon = h.indexOf(':');
        String name = colon < 0 ? h : h.substring(0, colon);
        return name.equals("127.0.0.1") || name.equals("localhost");
    }

    private static Response file(String name, String contentType) {
        try (InputStream in = ConsoleHandler.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("weft console: " + name + " is missing from the weft-console jar");
            }
            return new Response(200, contentType, in.readAllBytes());
        } catch (IOException e) {
            throw new IllegalStateException("weft console: cannot read " + name + " from the weft-console jar", e);
        }
    }
}
