package dev.weft.rules;

import java.util.Objects;

/**
 * A named exception to decision 12: the findings of one {@link Rule} in one method (or, with
 * {@code "*"}, in every method) of one class are allowed, for the stated reason.
 *
 * @param className binary name of the class ({@code Outer$Inner} for a nested class)
 * @param method    the method's compiled name, or {@code "*"} for every method of the class
 * @param rule      the one rule allowed there
 * @param reason    one line: why no worker can be caught by it (or, for one to be fixed, what is wrong)
 */
record Exemption(String className, String method, Rule rule, String reason) {

    Exemption {
        Objects.requireNonNull(className, "className");
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(rule, "rule");
        if (reason == null || reason.isBlank()) {
            throw new IllegalArgumentException("an exemption needs a reason: " + className + "." + method);
        }
    }

    boolean matches(Violation v) {
        return v.rule() == rule && v.className().equals(className) && (method.equals("*") || v.method().equals(method));
    }

    @Override
    public String toString() {
        return className + "." + method + " [" + rule + "]: " + reason;
    }
}
