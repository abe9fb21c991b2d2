package dev.weft.rules;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassModel;
import java.lang.classfile.CodeElement;
import java.lang.classfile.CodeModel;
import java.lang.classfile.Instruction;
import java.lang.classfile.Label;
import java.lang.classfile.MethodModel;
import java.lang.classfile.Opcode;
import java.lang.classfile.constantpool.ClassEntry;
import java.lang.classfile.instruction.ExceptionCatch;
import java.lang.classfile.instruction.FieldInstruction;
import java.lang.classfile.instruction.InvokeDynamicInstruction;
import java.lang.classfile.instruction.InvokeInstruction;
import java.lang.classfile.instruction.LabelTarget;
import java.lang.classfile.instruction.LineNumber;
import java.lang.classfile.instruction.LoadInstruction;
import java.lang.classfile.instruction.MonitorInstruction;
import java.lang.classfile.instruction.NewObjectInstruction;
import java.lang.classfile.instruction.StoreInstruction;
import java.lang.constant.ConstantDesc;
import java.lang.constant.DirectMethodHandleDesc;
import java.lang.constant.MethodTypeDesc;
import java.lang.reflect.AccessFlag;
import java.net.URISyntaxException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Reads compiled classes with the JDK's ClassFile API ({@code java.lang.classfile}) and reports
 * every place that takes a queued lock, by the {@link Rule}s of ARCHITECTURE.md decision 12.
 *
 * <h2>What counts</h2>
 * <ul>
 *   <li>{@link Rule#MONITOR}: a method with ACC_SYNCHRONIZED; a {@code monitorenter} (a
 *       {@code synchronized} block).</li>
 *   <li>{@link Rule#WAIT_NOTIFY}: a call of {@code wait()}, {@code wait(long)},
 *       {@code wait(long, int)}, {@code notify()} or {@code notifyAll()} on any receiver (they are
 *       final methods of {@code Object}).</li>
 *   <li>{@link Rule#QUEUED_LOCK}: {@code new}, a call on, a method reference to, or a subclass of
 *       one of {@link #QUEUED_TYPES}.</li>
 *   <li>{@link Rule#ADD_SUPPRESSED}, {@link Rule#CLEANER}, {@link Rule#LOGGING}: calls of the JDK
 *       methods the project learned take a lock (see {@link Rule}). The list stays short on
 *       purpose: it names what was seen to matter, not every JDK method with a monitor inside
 *       (a {@code ConcurrentHashMap} bin, a class initializer).</li>
 * </ul>
 *
 * <p><b>try-with-resources.</b> For {@code try (r) { … }} javac emits, in the handler that runs
 * when both the body and {@code r.close()} threw, {@code primary.addSuppressed(closeFailure)}. That
 * throwable was just caught on this thread, so its monitor is not one that other threads wait on;
 * such calls are recognised by their exact shape and not reported: an exception handler for
 * {@code Throwable} whose protected range ends with a {@code close()V} call and whose code is
 * {@code astore x; aload t; aload x; invokevirtual addSuppressed} (the same code written by hand
 * is the same thing, and passes too). Every other {@code addSuppressed} is reported.
 *
 * <p>Not thread-safe (one scanner per test); reading classes loads none of them, except that a
 * call named like a {@code Throwable} method on another owner loads that owner, uninitialised, to
 * ask whether it is a {@code Throwable}.
 */
final class QueuedLockScanner {
    /**
     * Types whose waiters wait in a queue and are woken one at a time by whoever releases: the
     * {@code java.util.concurrent.locks} locks and conditions, and the synchronizers and blocking
     * queues built on {@code AbstractQueuedSynchronizer} (whose release wakes the first waiter,
     * which wakes the next) or on a {@code ReentrantLock} inside. Internal names.
     */
    static final Set<String> QUEUED_TYPES = Set.of(
            "java/util/concurrent/locks/Lock",
            "java/util/concurrent/locks/ReadWriteLock",
            "java/util/concurrent/locks/Condition",
            "java/util/concurrent/locks/ReentrantLock",
            "java/util/concurrent/locks/ReentrantReadWriteLock",
            "java/util/concurrent/locks/ReentrantReadWriteLock$ReadLock",
            "java/util/concurrent/locks/ReentrantReadWriteLock$WriteLock",
            "java/util/concurrent/locks/StampedLock",
            "java/util/concurrent/locks/AbstractQueuedSynchronizer",
            "java/util/concurrent/locks/AbstractQueuedSynchronizer$ConditionObject",
            "java/util/concurrent/locks/AbstractQueuedLongSynchronizer",
            "java/util/concurrent/locks/AbstractQueuedLongSynchronizer$ConditionObject",
            "java/util/concurrent/Semaphore",
            "java/util/concurrent/CountDownLatch",
            "java/util/concurrent/CyclicBarrier",
            "java/util/concurrent/ArrayBlockingQueue",
            "java/util/concurrent/LinkedBlockingQueue",
            "java/util/concurrent/LinkedBlockingDeque",
            "java/util/concurrent/PriorityBlockingQueue",
            "java/util/concurrent/DelayQueue");

    private static final String THROWABLE = "java/lang/Throwable";

    private final ClassLoader loader;
    private final Map<String, Boolean> throwables = new HashMap<>();

    /** @param loader resolves call owners when asking whether they are {@code Throwable}s */
    QueuedLockScanner(ClassLoader loader) {
        this.loader = loader;
    }

    /**
     * Every class under {@code location} (a classes directory or a jar), except
     * {@code module-info}, in name order.
     */
    static List<byte[]> classesAt(Path location) {
        try {
            if (Files.isDirectory(location)) {
                return readClasses(location);
            }
            try (FileSystem jar = FileSystems.newFileSystem(location)) {
                return readClasses(jar.getPath("/"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the classes at " + location, e);
        }
    }

    /** Where the class {@code anchor} was loaded from: its module's classes directory or jar. */
    static Path locationOf(Class<?> anchor) {
        try {
            return Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException("no file location for " + anchor, e);
        }
    }

    private static List<byte[]> readClasses(Path root) throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(root)) {
            files = walk.filter(p -> p.toString().endsWith(".class"))
                    .filter(p -> !p.getFileName().toString().equals("module-info.class"))
                    .sorted()
                    .toList();
        }
        List<byte[]> out = new ArrayList<>(files.size());
        for (Path f : files) {
            out.add(Files.readAllBytes(f));
        }
        return out;
    }

    /** The class's binary name, e.g. {@code dev.weft.ffi.WakeTokens}. */
    static String nameOf(byte[] classBytes) {
        return ClassFile.of().parse(classBytes).thisClass().asInternalName().replace('/', '.');
    }

    /** The violations in one class file, in code order. */
    List<Violation> scan(byte[] classBytes) {
        ClassModel cls = ClassFile.of().parse(classBytes);
        String className = cls.thisClass().asInternalName().replace('/', '.');
        List<Violation> out = new ArrayList<>();
        Optional<ClassEntry> sup = cls.superclass();
        if (sup.isPresent() && QUEUED_TYPES.contains(sup.get().asInternalName())) {
            out.add(new Violation(className, "<class>", "", -1, Rule.QUEUED_LOCK,
                    "extends " + javaName(sup.get().asInternalName())));
        }
        for (MethodModel m : cls.methods()) {
            String name = m.methodName().stringValue();
            String signature = MethodTypeDesc.ofDescriptor(m.methodType().stringValue()).displayDescriptor();
            Optional<CodeModel> code = m.code();
            int firstLine = code.map(QueuedLockScanner::firstLine).orElse(-1);
            if (m.flags().has(AccessFlag.SYNCHRONIZED)) {
                out.add(new Violation(className, name, signature, firstLine, Rule.MONITOR,
                        "synchronized method (ACC_SYNCHRONIZED)"));
            }
            code.ifPresent(c -> scanCode(c, className, name, signature, out));
        }
        return out;
    }

    private void scanCode(CodeModel code, String className, String method, String signature, List<Violation> out) {
        List<CodeElement> elements = code.elementList();
        Set<CodeElement> generatedSuppressions = tryWithResourcesSuppressions(code, elements);
        int line = -1;
        for (CodeElement e : elements) {
            Finding f = switch (e) {
                case LineNumber ln -> {
                    line = ln.line();
                    yield null;
                }
                case MonitorInstruction mi when mi.opcode() == Opcode.MONITORENTER ->
                        new Finding(Rule.MONITOR, "synchronized block (monitorenter)");
                case NewObjectInstruction n when QUEUED_TYPES.contains(n.className().asInternalName()) ->
                        new Finding(Rule.QUEUED_LOCK, "constructs " + javaName(n.className().asInternalName()));
                case FieldInstruction fi when fi.opcode() == Opcode.GETSTATIC
                        && fi.owner().asInternalName().equals("java/lang/System")
                        && (fi.name().equalsString("out") || fi.name().equalsString("err")) ->
                        new Finding(Rule.LOGGING, "writes to System." + fi.name().stringValue()
                                + " (PrintStream's lock)");
                case InvokeInstruction ii when generatedSuppressions.contains(ii) -> null;
                case InvokeInstruction ii -> checkCall(ii.owner().asInternalName(), ii.name().stringValue(),
                        ii.type().stringValue(), "calls ");
                case InvokeDynamicInstruction indy -> checkMethodReferences(indy);
                default -> null;
            };
            if (f != null) {
                out.add(new Violation(className, method, signature, line, f.rule(), f.what()));
            }
        }
    }

    /** A method reference ({@code ReentrantLock::new}, {@code Throwable::printStackTrace}) is a call too. */
    private Finding checkMethodReferences(InvokeDynamicInstruction indy) {
        for (ConstantDesc arg : indy.bootstrapArgs()) {
            if (arg instanceof DirectMethodHandleDesc mh && mh.lookupDescriptor().startsWith("(")) {   // not a field handle
                String owner = mh.owner().descriptorString();
                owner = owner.substring(1, owner.length() - 1);
                String name = mh.kind() == DirectMethodHandleDesc.Kind.CONSTRUCTOR ? "<init>" : mh.methodName();
                Finding f = checkCall(owner, name, mh.lookupDescriptor(), "refers to ");
                if (f != null) {
                    return f;
                }
            }
        }
        return null;
    }

    private Finding checkCall(String owner, String name, String descriptor, String verb) {
        String call = verb + javaName(owner) + "." + name
                + MethodTypeDesc.ofDescriptor(descriptor).displayDescriptor().replaceAll("\\).*", ")");
        if (QUEUED_TYPES.contains(owner)) {
            return new Finding(Rule.QUEUED_LOCK, call);
        }
        boolean waitNotify = switch (name) {
            case "wait" -> descriptor.equals("()V") || descriptor.equals("(J)V") || descriptor.equals("(JI)V");
            case "notify", "notifyAll" -> descriptor.equals("()V");
            default -> false;
        };
        if (waitNotify) {
            return new Finding(Rule.WAIT_NOTIFY, call);
        }
        if (name.equals("addSuppressed") && descriptor.equals("(Ljava/lang/Throwable;)V") && isThrowable(owner)) {
            return new Finding(Rule.ADD_SUPPRESSED, call + " (synchronized on the throwable)");
        }
        if (name.equals("printStackTrace") && descriptor.equals("()V") && isThrowable(owner)) {
            return new Finding(Rule.LOGGING, call + " (to System.err, under its lock)");
        }
        if (owner.equals("java/lang/ref/Cleaner") && name.equals("register")) {
            return new Finding(Rule.CLEANER, call + " (the cleaner's list is guarded by a monitor)");
        }
        if (owner.equals("java/lang/foreign/Arena") && name.equals("ofAuto")) {
            return new Finding(Rule.CLEANER, call + " (an automatic arena registers with a Cleaner, whose list is guarded by a monitor)");
        }
        if (owner.equals("java/lang/System$Logger") && name.equals("log")) {
            return new Finding(Rule.LOGGING, call + " (the default backend publishes under a lock)");
        }
        if (owner.startsWith("java/util/logging/")) {
            return new Finding(Rule.LOGGING, call + " (java.util.logging handlers publish under a lock)");
        }
        return null;
    }

    private boolean isThrowable(String owner) {
        if (owner.equals(THROWABLE)) {
            return true;
        }
        return throwables.computeIfAbsent(owner, o -> {
            try {
                return Throwable.class.isAssignableFrom(Class.forName(o.replace('/', '.'), false, loader));
            } catch (ClassNotFoundException | LinkageError e) {
                return true;           // cannot tell: report it, a person can look
            }
        });
    }

    /**
     * The {@code addSuppressed} calls javac generated for try-with-resources in this method (see
     * the class notes for the exact shape).
     */
    private static Set<CodeElement> tryWithResourcesSuppressions(CodeModel code, List<CodeElement> elements) {
        Set<CodeElement> found = Collections.newSetFromMap(new IdentityHashMap<>());
        Map<Label, Integer> at = new HashMap<>();
        for (int i = 0; i < elements.size(); i++) {
            if (elements.get(i) instanceof LabelTarget t) {
                at.put(t.label(), i);
            }
        }
        for (ExceptionCatch handler : code.exceptionHandlers()) {
            if (handler.catchType().isEmpty() || !handler.catchType().get().asInternalName().equals(THROWABLE)) {
                continue;
            }
            Integer start = at.get(handler.handler());
            Integer tryEnd = at.get(handler.tryEnd());
            if (start == null || tryEnd == null) {
                continue;
            }
            List<Instruction> body = instructionsFrom(elements, start, 4);
            Instruction lastProtected = lastInstructionBefore(elements, tryEnd);
            if (body.size() == 4
                    && body.get(0) instanceof StoreInstruction caught
                    && body.get(1) instanceof LoadInstruction
                    && body.get(2) instanceof LoadInstruction loaded && loaded.slot() == caught.slot()
                    && body.get(3) instanceof InvokeInstruction call
                    && call.name().equalsString("addSuppressed")
                    && lastProtected instanceof InvokeInstruction close
                    && close.name().equalsString("close") && close.type().equalsString("()V")) {
                found.add(call);
            }
        }
        return found;
    }

    private static List<Instruction> instructionsFrom(List<CodeElement> elements, int from, int count) {
        List<Instruction> out = new ArrayList<>(count);
        for (int i = from; i < elements.size() && out.size() < count; i++) {
            if (elements.get(i) instanceof Instruction ins) {
                out.add(ins);
            }
        }
        return out;
    }

    private static Instruction lastInstructionBefore(List<CodeElement> elements, int index) {
        for (int i = index - 1; i >= 0; i--) {
            if (elements.get(i) instanceof Instruction ins) {
                return ins;
            }
        }
        return null;
    }

    private static int firstLine(CodeModel code) {
        for (CodeElement e : code) {
            if (e instanceof LineNumber ln) {
                return ln.line();
            }
        }
        return -1;
    }

    private static String javaName(String internalName) {
        return internalName.replace('/', '.');
    }

    private record Finding(Rule rule, String what) { }
}
