package dev.weft.examples.kv;

import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The key-value protocol's meaning, with no I/O in it: one command line in, one answer line out.
 * {@code PUT key value} answers {@code OK}; {@code GET key} answers {@code VALUE value} or
 * {@code NONE}; {@code DEL key} answers {@code OK} or {@code NONE}; {@code SIZE} answers the
 * count; anything else {@code ERROR} and why. Keys have no spaces; a value is the rest of the
 * line. Thread-safe (a lock-free map), so connections served on any threads share one store.
 */
public final class KvStore {
    private final ConcurrentNavigableMap<String, String> map = new ConcurrentSkipListMap<>();

    /** The answer to one command line. */
    public String apply(String line) {
        String[] parts = line.split(" ", 3);
        return switch (parts[0]) {
            case "PUT" -> {
                if (parts.length < 3) {
                    yield "ERROR PUT needs a key and a value";
                }
                map.put(parts[1], parts[2]);
                yield "OK";
            }
            case "GET" -> parts.length != 2 ? "ERROR GET needs one key"
                    : map.containsKey(parts[1]) ? "VALUE " + map.get(parts[1]) : "NONE";
            case "DEL" -> parts.length != 2 ? "ERROR DEL needs one key" : map.remove(parts[1]) != null ? "OK" : "NONE";
            case "SIZE" -> Integer.toString(map.size());
            default -> "ERROR unknown command '" + parts[0] + "'";
        };
    }
}
