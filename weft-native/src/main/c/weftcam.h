/*
 * weftcam — a simulated camera library, in the shape of a vendor's C SDK.
 *
 * One library thread (the "driver") makes the frames of every open camera. Cameras are
 * genlocked: all cameras at the same frame rate produce on the same ticks of one clock, so
 * their frames (and their callbacks) arrive together. Each camera keeps a ring of
 * WEFTCAM_RING frame buffers; a frame is handed out by weftcam_poll (non-blocking) or
 * weftcam_wait (blocking) and belongs to the caller until weftcam_release. When no buffer is
 * free, the oldest frame nobody took is overwritten: it is lost and counted as dropped.
 *
 * Time: ready_ns is CLOCK_MONOTONIC in nanoseconds (weftcam_now_ns), the clock behind
 * System.nanoTime() in HotSpot on Linux.
 *
 * Threads: every function may be called from any thread. A handle stays safe to pass after
 * weftcam_close (calls then fail with WEFTCAM_CLOSED instead of touching freed memory), because
 * cameras live in a fixed table of WEFTCAM_MAX_CAMERAS slots and handles carry a generation.
 */
#ifndef WEFTCAM_H
#define WEFTCAM_H

#include <stdint.h>

#define WEFTCAM_RING 8
#define WEFTCAM_MAX_CAMERAS 64

/* Status codes (returned, or stored through a non-NULL int *status). */
#define WEFTCAM_OK 0          /* a frame was handed out */
#define WEFTCAM_EMPTY 1       /* poll: no frame is ready now */
#define WEFTCAM_TIMEOUT 2     /* wait: no frame came in time */
#define WEFTCAM_ENDED 3       /* the camera made its last frame and every frame was taken */
#define WEFTCAM_CLOSED (-1)   /* the handle is not (or no longer) an open camera */
#define WEFTCAM_EINVAL (-2)   /* a bad argument, or a frame released twice */
#define WEFTCAM_ENOMEM (-3)   /* out of memory or out of camera slots */

typedef uint64_t weftcam_handle;   /* 0 is never a valid handle */

/* A frame as the caller sees it. The memory belongs to the library until weftcam_release. */
typedef struct weftcam_frame {
    uint64_t seq;        /* 1 for the camera's first frame, then +1 per frame made (lost ones too) */
    int64_t ready_ns;    /* CLOCK_MONOTONIC time at which the frame became ready */
    uint8_t *pixels;     /* size bytes; bytes 0..7 hold seq, bytes 8..11 the camera id (little-endian) */
    uint32_t size;
    uint32_t camera;     /* the camera's id, unique in the process */
} weftcam_frame;

typedef struct weftcam_counters {
    uint64_t made;       /* frames the camera produced */
    uint64_t delivered;  /* frames handed out by poll or wait */
    uint64_t dropped;    /* frames overwritten before anybody took them (after close: plus those never taken) */
} weftcam_counters;

/* Called on the library's driver thread after the camera made a frame (and once by
 * weftcam_close, on the closing thread, so a listener notices the camera went away). */
typedef void (*weftcam_callback)(void *user);

/* Opens a camera that makes fps frames per second of frame_bytes bytes (at least 16), and stops
 * after frame_limit frames (0: never). Returns 0 on failure. */
weftcam_handle weftcam_open(uint32_t fps, uint32_t frame_bytes, uint64_t frame_limit);

/* The oldest ready frame, or NULL (status EMPTY, ENDED or CLOSED). Never blocks for a frame. */
weftcam_frame *weftcam_poll(weftcam_handle cam, int *status);

/* Like weftcam_poll but waits up to timeout_ns (negative: forever) for a frame (status TIMEOUT). */
weftcam_frame *weftcam_wait(weftcam_handle cam, int64_t timeout_ns, int *status);

/* Gives a frame back. Valid after the camera was closed (the frame is then freed). */
int weftcam_release(weftcam_frame *frame);

/* Registers fn(user) to be called whenever the camera made a frame; fn == NULL removes it. When
 * this returns, the previous callback is not running and will not run again (unless this is
 * called from inside a callback, which cannot wait for itself). */
int weftcam_set_callback(weftcam_handle cam, weftcam_callback fn, void *user);

/* 1 while the camera makes frames or holds ready ones, 0 once ended and drained, CLOSED. */
int weftcam_available(weftcam_handle cam);

/* The camera's id (as in weftcam_frame.camera), or 0. */
uint32_t weftcam_id(weftcam_handle cam);

int weftcam_counters_of(weftcam_handle cam, weftcam_counters *out);

/* Stops the camera: waiters return CLOSED, ready frames are freed (and counted as dropped), frames
 * still held by callers stay valid until they are released. The callback is called once more, on
 * this thread, and after this returns no callback runs. Stores the final counters in *out if
 * non-NULL. */
int weftcam_close(weftcam_handle cam, weftcam_counters *out);

/* CLOCK_MONOTONIC now, in nanoseconds. */
int64_t weftcam_now_ns(void);

/* Frame buffers currently allocated by the library in this process (for leak checks). */
int64_t weftcam_frames_allocated(void);

#endif
