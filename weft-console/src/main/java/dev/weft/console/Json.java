package dev.weft.console;

/** Writes JSON values: just enough for the console's own answers (the dump comes as JSON from core). */
final class Json {
    private Json() { }

    /** Appends {@code value} as a JSON value: a number, a boolean, null, or else its string form quoted. */
    static void value(StringBuilder out, Object value) {
        switch (value) {
            case null -> out.append("null");
            case Boolean b -> out.append(b);
            case Integer i -> out.append(i);
            case Long l -> out.append(l);
            case Short s -> out.append(s);
            case Byte b -> out.append(b);
            case Double d when Double.isFinite(d) -> out.append(d);
            case Float f when Float.isFinite(f) -> out.append(f);
            case Double d -> out.append("null");
            case Float f -> out.append("null");
            default -> string(out, String.valueOf(value));
        }
    }

    /** Appends {@code s} as a quoted JSON string (RFC 8259 section 7 escapes). */
    static void string(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
