package dev.weft.examples.kv;

import dev.weft.io.AsyncIo;
import dev.weft.io.Codecs;
import dev.weft.io.Framed;
import java.io.EOFException;
import java.io.IOException;
import java.util.Optional;

/**
 * The key-value client side, for sequential code (it parks its task while it waits): the other
 * half of the library of seed 003. Like {@link KvServer} it takes any {@link AsyncIo}:
 *
 * {@snippet :
 * try (KvClient kv = new KvClient(Compression.deflate(TcpStream.connect(addr)))) {
 *     kv.put("colour", "indigo");
 *     String c = kv.get("colour").orElseThrow();
 * }
 * }
 */
public final class KvClient implements AutoCloseable {
    private final AsyncIo conn;
    private final Framed<String> lines;

    public KvClient(AsyncIo conn) {
        this.conn = conn;
        this.lines = Codecs.lines(conn, KvServer.MAX_LINE);
    }

    /** Stores {@code value} under {@code key} (no spaces in the key; no line break in either). */
    public void put(String key, String value) throws IOException {
        expect(call("PUT " + checkKey(key) + " " + checkValue(value)), "OK");
    }

    /** The value under {@code key}, if any. */
    public Optional<String> get(String key) throws IOException {
        String answer = call("GET " + checkKey(key));
        if (answer.equals("NONE")) {
            return Optional.empty();
        }
        if (answer.startsWith("VALUE ")) {
            return Optional.of(answer.substring(6));
        }
        throw new IOException("the server answered GET with: " + answer);
    }

    /** Deletes {@code key}; true if it was there. */
    public boolean delete(String key) throws IOException {
        return call("DEL " + checkKey(key)).equals("OK");
    }

    /** The number of keys stored. */
    public int size() throws IOException {
        return Integer.parseInt(call("SIZE"));
    }

    /** One request line, one answer line. */
    public String call(String request) throws IOException {
        lines.send(request);
        String answer = lines.next();
        if (answer == null) {
            throw new EOFException("the server closed the connection instead of answering " + request);
        }
        return answer;
    }

    /** Ends this side (the server then ends its own), reads to the server's end, and closes. */
    @Override
    public void close() throws IOException {
        try {
            conn.shutdownOutput();
            while (lines.next() != null) {
                // answers nobody asked for: none in this protocol
            }
        } finally {
            conn.close();
        }
    }

    private static void expect(String answer, String wanted) throws IOException {
        if (!answer.equals(wanted)) {
            throw new IOException("the server answered " + answer + " where " + wanted + " was expected");
        }
    }

    private static String checkKey(String key) {
        if (key.isEmpty() || key.contains(" ") || key.contains("\n")) {
            throw new IllegalArgumentException("a key is one word without spaces, got '" + key + "'");
        }
        return key;
    }

    private static String checkValue(String value) {
        if (value.contains("\n")) {
            throw new IllegalArgumentException("a value has no line break");
        }
        return value;
    }
}
