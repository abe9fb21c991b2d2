package dev.weft.rules;

/**
 * One place in the compiled code that takes a queued lock.
 *
 * @param className  binary name of the class, e.g. {@code dev.weft.ffi.WakeTokens}
 * @param method     method name ({@code <init>}, {@code <clinit>} and {@code lambda$…} as compiled),
 *                   or {@code <class>} for a finding about the class itself (its superclass)
 * @param signature  the method's parameters and return type as Java types, e.g. {@code (WakeSignal)long}
 * @param line       source line, or -1 when the class has no line numbers
 * @param rule       which rule it breaks
 * @param what       what was found, e.g. {@code calls java.util.concurrent.locks.ReentrantLock.tryLock()}
 */
record Violation(String className, String method, String signature, int line, Rule rule, String what) {

    /** One line for a failure message: {@code class.method(params)ret (File.java:42) [RULE] what}. */
    String format() {
        String simple = className.substring(className.lastIndexOf('.') + 1);
        int nested = simple.indexOf('$');
        String file = (nested < 0 ? simple : simple.substring(0, nested)) + ".java";
        String at = line < 0 ? file : file + ":" + line;
        return className + "." + method + signature + " (" + at + ") [" + rule + "] " + what;
    }
}
