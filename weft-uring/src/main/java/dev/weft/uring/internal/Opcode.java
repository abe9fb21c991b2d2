package dev.weft.uring.internal;

import java.util.Map;

/** The io_uring opcodes this module names ({@code enum io_uring_op}). */
public final class Opcode {
    public static final int NOP = 0;
    public static final int READV = 1;
    public static final int WRITEV = 2;
    public static final int FSYNC = 3;
    public static final int READ_FIXED = 4;
    public static final int WRITE_FIXED = 5;
    public static final int POLL_ADD = 6;
    public static final int POLL_REMOVE = 7;
    public static final int SENDMSG = 9;
    public static final int RECVMSG = 10;
    public static final int TIMEOUT = 11;
    public static final int ACCEPT = 13;
    public static final int ASYNC_CANCEL = 14;
    public static final int CONNECT = 16;
    public static final int OPENAT = 18;
    public static final int CLOSE = 19;
    public static final int STATX = 21;
    public static final int READ = 22;
    public static final int WRITE = 23;
    public static final int SEND = 26;
    public static final int RECV = 27;
    public static final int SHUTDOWN = 34;
    public static final int SEND_ZC = 47;

    /** Name to opcode, for every opcode above. */
    public static final Map<String, Integer> BY_NAME = Map.ofEntries(
            Map.entry("NOP", NOP), Map.entry("READV", READV), Map.entry("WRITEV", WRITEV),
            Map.entry("FSYNC", FSYNC), Map.entry("READ_FIXED", READ_FIXED), Map.entry("WRITE_FIXED", WRITE_FIXED),
            Map.entry("POLL_ADD", POLL_ADD), Map.entry("POLL_REMOVE", POLL_REMOVE), Map.entry("SENDMSG", SENDMSG),
            Map.entry("RECVMSG", RECVMSG), Map.entry("TIMEOUT", TIMEOUT), Map.entry("ACCEPT", ACCEPT),
            Map.entry("ASYNC_CANCEL", ASYNC_CANCEL), Map.entry("CONNECT", CONNECT), Map.entry("OPENAT", OPENAT),
            Map.entry("CLOSE", CLOSE), Map.entry("READ", READ), Map.entry("WRITE", WRITE), Map.entry("SEND", SEND),
            Map.entry("RECV", RECV), Map.entry("SHUTDOWN", SHUTDOWN), Map.entry("SEND_ZC", SEND_ZC));

    private Opcode() { }
}
