package dev.weft.uring.internal;

/**
 * The io_uring ABI this module uses ({@code include/uapi/linux/io_uring.h}): setup flags, features,
 * mmap offsets, the byte layout of {@code io_uring_params}, SQEs and CQEs. Constants only.
 */
public final class Abi {
    private Abi() { }

    // io_uring_setup flags
    public static final int SETUP_CQSIZE = 1 << 3;
    public static final int SETUP_SUBMIT_ALL = 1 << 7;
    public static final int SETUP_COOP_TASKRUN = 1 << 8;
    public static final int SETUP_SINGLE_ISSUER = 1 << 12;
    /** Needs {@link #SETUP_SINGLE_ISSUER}; completions are then posted only on {@link #ENTER_GETEVENTS}. */
    public static final int SETUP_DEFER_TASKRUN = 1 << 13;
    /** No SQ index array (6.6): SQE {@code tail & mask} is submitted directly, one indirection less. */
    public static final int SETUP_NO_SQARRAY = 1 << 16;
    /** What {@code Ring} asks for; dropped from the newest down while setup says EINVAL. */
    public static final int SETUP_WANTED = SETUP_CQSIZE | SETUP_SUBMIT_ALL | SETUP_COOP_TASKRUN
            | SETUP_SINGLE_ISSUER | SETUP_DEFER_TASKRUN | SETUP_NO_SQARRAY;

    // io_uring_params.features
    public static final int FEAT_SINGLE_MMAP = 1 << 0;
    public static final int FEAT_NODROP = 1 << 1;
    public static final int FEAT_SUBMIT_STABLE = 1 << 2;
    public static final int FEAT_RW_CUR_POS = 1 << 3;
    public static final int FEAT_CUR_PERSONALITY = 1 << 4;
    public static final int FEAT_FAST_POLL = 1 << 5;
    public static final int FEAT_POLL_32BITS = 1 << 6;
    public static final int FEAT_SQPOLL_NONFIXED = 1 << 7;
    public static final int FEAT_EXT_ARG = 1 << 8;
    public static final int FEAT_NATIVE_WORKERS = 1 << 9;
    public static final int FEAT_RSRC_TAGS = 1 << 10;
    public static final int FEAT_CQE_SKIP = 1 << 11;
    public static final int FEAT_LINKED_FILE = 1 << 12;
    public static final int FEAT_REG_REG_RING = 1 << 13;
    public static final int FEAT_RECVSEND_BUNDLE = 1 << 14;
    public static final int FEAT_MIN_TIMEOUT = 1 << 15;

    // io_uring_enter flags
    public static final int ENTER_GETEVENTS = 1;
    /** {@code io_uring_enter}'s last two arguments are a {@code struct io_uring_getevents_arg} and its size. */
    public static final int ENTER_EXT_ARG = 1 << 3;
    /** {@code struct io_uring_getevents_arg}: sigmask u64, sigmask_sz u32, min_wait_usec u32, ts u64. */
    public static final long GETEVENTS_ARG_SIZE = 24;
    public static final long GETEVENTS_ARG_TS = 16;
    /** {@code struct __kernel_timespec}: tv_sec i64, tv_nsec i64. */
    public static final long TIMESPEC_SIZE = 16;

    /** A CQE with this flag is not the operation's last: more follow (multishot, zero-copy send). */
    public static final int CQE_F_MORE = 1 << 1;
    /** {@code sqe->ioprio} of an {@code ACCEPT}: keep accepting, one CQE per connection (5.19). */
    public static final int ACCEPT_MULTISHOT = 1;
    /** {@code sqe->ioprio} of a {@code SEND_ZC}: {@code buf_index} names a registered buffer (6.0). */
    public static final int RECVSEND_FIXED_BUF = 1 << 2;

    /** {@code IORING_FSYNC_DATASYNC}: {@code fdatasync} instead of {@code fsync}. */
    public static final int FSYNC_DATASYNC = 1;
    public static final int AT_FDCWD = -100;
    public static final int AT_EMPTY_PATH = 0x1000;
    public static final int STATX_SIZE = 0x200;
    /** {@code struct statx}: 256 bytes, {@code stx_size} (u64) at 40. */
    public static final long STATX_BYTES = 256;
    public static final long STATX_SIZE_OFF = 40;

    public static final int O_WRONLY = 1;
    public static final int O_RDWR = 2;
    public static final int O_CREAT = 0x40;
    public static final int O_EXCL = 0x80;
    public static final int O_TRUNC = 0x200;
    public static final int O_APPEND = 0x400;
    public static final int O_DSYNC = 0x1000;
    public static final int O_NOFOLLOW = 0x20000;
    public static final int O_CLOEXEC = 0x80000;
    public static final int O_SYNC = 0x101000;

    // sq_ring flags (written by the kernel)
    public static final int SQ_NEED_WAKEUP = 1 << 0;
    /** Completions wait in the kernel's overflow list: an enter with GETEVENTS moves them into the CQ. */
    public static final int SQ_CQ_OVERFLOW = 1 << 1;
    public static final int SQ_TASKRUN = 1 << 2;

    // mmap offsets
    public static final long OFF_SQ_RING = 0L;
    public static final long OFF_CQ_RING = 0x8000000L;
    public static final long OFF_SQES = 0x10000000L;

    // io_uring_register opcodes
    public static final int REGISTER_PROBE = 8;
    public static final int REGISTER_BUFFERS = 0;
    public static final int UNREGISTER_BUFFERS = 1;
    public static final int OP_SUPPORTED = 1;

    // io_uring_params: 120 bytes
    public static final long PARAMS_SIZE = 120;
    public static final long P_SQ_ENTRIES = 0;
    public static final long P_CQ_ENTRIES = 4;
    public static final long P_FLAGS = 8;
    public static final long P_FEATURES = 20;
    public static final long P_SQ_OFF = 40;     // io_sqring_offsets, 40 bytes
    public static final long P_CQ_OFF = 80;     // io_cqring_offsets, 40 bytes
    // io_sqring_offsets fields (u32): head, tail, ring_mask, ring_entries, flags, dropped, array
    public static final long SQO_HEAD = 0;
    public static final long SQO_TAIL = 4;
    public static final long SQO_RING_MASK = 8;
    public static final long SQO_RING_ENTRIES = 12;
    public static final long SQO_FLAGS = 16;
    public static final long SQO_DROPPED = 20;
    public static final long SQO_ARRAY = 24;
    // io_cqring_offsets fields (u32): head, tail, ring_mask, ring_entries, overflow, cqes, flags
    public static final long CQO_HEAD = 0;
    public static final long CQO_TAIL = 4;
    public static final long CQO_RING_MASK = 8;
    public static final long CQO_RING_ENTRIES = 12;
    public static final long CQO_OVERFLOW = 16;
    public static final long CQO_CQES = 20;
    public static final long CQO_FLAGS = 24;

    // io_uring_sqe: 64 bytes
    public static final long SQE_SIZE = 64;
    public static final long SQE_OPCODE = 0;        // u8
    public static final long SQE_FLAGS = 1;         // u8
    public static final long SQE_IOPRIO = 2;        // u16
    public static final long SQE_FD = 4;            // s32
    public static final long SQE_OFF = 8;           // u64
    public static final long SQE_ADDR = 16;         // u64
    public static final long SQE_LEN = 24;          // u32
    public static final long SQE_OP_FLAGS = 28;     // u32
    public static final long SQE_USER_DATA = 32;    // u64
    public static final long SQE_BUF_INDEX = 40;    // u16
    public static final long SQE_PERSONALITY = 42;  // u16
    public static final long SQE_SPLICE_FD_IN = 44; // s32
    public static final long SQE_ADDR3 = 48;        // u64

    // io_uring_cqe: 16 bytes
    public static final long CQE_SIZE = 16;
    public static final long CQE_USER_DATA = 0;     // u64
    public static final long CQE_RES = 8;           // s32
    public static final long CQE_FLAGS = 12;        // u32

    // io_uring_probe: a 16-byte header, then 256 io_uring_probe_op of 8 bytes
    public static final int PROBE_OPS = 256;
    public static final long PROBE_SIZE = 16 + PROBE_OPS * 8L;
    public static final long PROBE_LAST_OP = 0;     // u8
    public static final long PROBE_OPS_LEN = 1;     // u8
    public static final long PROBE_OP_BASE = 16;
    public static final long PROBE_OP_SIZE = 8;
    public static final long PROBE_OP_FLAGS = 2;    // u16, within an op entry
}
