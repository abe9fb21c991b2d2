/*
 * weftcam — the camera simulator behind weft-native's bindings. See weftcam.h for the contract.
 *
 * weftcam.c is a little over 500 lines: the whole simulator in one translation unit, so the build
 * is one gcc call and every lock-order and lifetime rule below is checkable in one file.
 *
 * Implementation notes
 *
 * Layout. Cameras live in a static table of WEFTCAM_MAX_CAMERAS slots that is never freed, so a
 * stale handle can always be checked: a handle is (generation << 32 | slot index + 1), and a
 * slot's generation is odd while a camera is open in it and even while it is free. Every call
 * compares the handle's generation with the slot's under the slot's mutex.
 *
 * Locks. driver_mu guards the driver's view of the slots (active, next_due, callback fields,
 * cb_running); slot.mu guards the frames and counters. Order: driver_mu before slot.mu. poll,
 * wait and release take slot.mu only; open, close and set_callback take both.
 *
 * Frames. A frame buffer is on the slot's free list, in its ready ring (FIFO, oldest first), or
 * lent to a caller. The driver takes a free buffer, else overwrites the oldest ready frame
 * (dropped++), else (every buffer lent) loses the new frame (dropped++). Closing frees the free
 * and ready buffers; a lent buffer keeps its old generation, so its release sees the mismatch
 * and frees it ("orphan").
 *
 * Callbacks. The driver copies (fn, user) and increments cb_running under driver_mu, calls the
 * callbacks with no lock held, then decrements and broadcasts cb_done. set_callback and close
 * wait on cb_done until cb_running is 0 (except on the driver thread itself), which is what
 * makes "no callback after close returns" hold. A slot whose callback still runs is not reused.
 *
 * Time. The driver sleeps in pthread_cond_timedwait on CLOCK_MONOTONIC until the next frame is
 * due. Cameras are genlocked: camera frame times sit on a grid epoch + k * period shared by all
 * cameras of the same rate. A driver that wakes late skips the ticks it missed (no burst).
 */
#define _GNU_SOURCE
#include "weftcam.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define API __attribute__((visibility("default")))

typedef struct frame {
    weftcam_frame pub;          /* first member: a weftcam_frame * is a frame * */
    struct frame *next;         /* free-list link */
    uint32_t slot;
    uint32_t gen;               /* the slot's generation when the buffer was made */
    int lent;
} frame;

typedef struct slot {
    /* guarded by mu */
    pthread_mutex_t mu;
    pthread_cond_t ready_cond;  /* a frame became ready, the camera ended or closed */
    uint32_t gen;               /* odd: open */
    uint32_t id;
    uint64_t limit;
    uint64_t made, delivered, dropped;
    int ended;
    frame *ring[WEFTCAM_RING];
    unsigned head, count;
    frame *free_list;
    /* guarded by driver_mu */
    int active;
    int64_t period_ns, next_due;
    weftcam_callback cb;
    void *cb_user;
    int cb_running;
} slot;

static slot slots[WEFTCAM_MAX_CAMERAS];
static pthread_mutex_t driver_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t driver_cond;     /* the set of cameras changed */
static pthread_cond_t cb_done;         /* a callback returned */
static pthread_t driver_thread;
static int driver_started;
static int64_t epoch_ns;
static pthread_once_t init_once = PTHREAD_ONCE_INIT;
static int init_ok;
static atomic_llong frames_allocated;
static atomic_uint next_camera_id;

API int64_t weftcam_now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

API int64_t weftcam_frames_allocated(void) {
    return atomic_load(&frames_allocated);
}

static struct timespec to_timespec(int64_t ns) {
    struct timespec ts;
    ts.tv_sec = ns / 1000000000LL;
    ts.tv_nsec = ns % 1000000000LL;
    return ts;
}

static int monotonic_cond(pthread_cond_t *c) {
    pthread_condattr_t attr;
    if (pthread_condattr_init(&attr) != 0) {
        return -1;
    }
    int rc = pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    if (rc == 0) {
        rc = pthread_cond_init(c, &attr);
    }
    pthread_condattr_destroy(&attr);
    return rc;
}

static void init(void) {
    if (monotonic_cond(&driver_cond) != 0 || pthread_cond_init(&cb_done, NULL) != 0) {
        return;
    }
    for (int i = 0; i < WEFTCAM_MAX_CAMERAS; i++) {
        if (pthread_mutex_init(&slots[i].mu, NULL) != 0 || monotonic_cond(&slots[i].ready_cond) != 0) {
            return;
        }
    }
    epoch_ns = weftcam_now_ns();
    init_ok = 1;
}

static void set_status(int *status, int value) {
    if (status != NULL) {
        *status = value;
    }
}

static slot *slot_of(weftcam_handle cam) {
    uint64_t index = (cam & 0xffffffffu);
    if (index == 0 || index > WEFTCAM_MAX_CAMERAS || !init_ok) {
        return NULL;
    }
    return &slots[index - 1];
}

static uint32_t gen_of(weftcam_handle cam) {
    return (uint32_t)(cam >> 32);
}

static int on_driver_thread(void) {
    return driver_started && pthread_equal(pthread_self(), driver_thread);
}

static void free_frame(frame *f) {
    free(f);
    atomic_fetch_sub(&frames_allocated, 1);
}

/* Called with slot.mu held and a frame ready. */
static weftcam_frame *take(slot *s) {
    frame *f = s->ring[s->head];
    s->head = (s->head + 1) % WEFTCAM_RING;
    s->count--;
    f->lent = 1;
    s->delivered++;
    return &f->pub;
}

/* Makes one frame; returns whether the camera has now ended. Called by the driver under driver_mu. */
static int produce(slot *s) {
    pthread_mutex_lock(&s->mu);
    frame *f = s->free_list;
    if (f != NULL) {
        s->free_list = f->next;
    } else if (s->count > 0) {
        f = s->ring[s->head];               /* overwrite the oldest frame nobody took */
        s->head = (s->head + 1) % WEFTCAM_RING;
        s->count--;
        s->dropped++;
    }
    s->made++;
    if (f != NULL) {
        uint64_t seq = s->made;
        f->pub.seq = seq;
        memset(f->pub.pixels + 12, (int)(seq & 0xff), f->pub.size - 12);
        for (int b = 0; b < 8; b++) {
            f->pub.pixels[b] = (uint8_t)(seq >> (8 * b));
        }
        for (int b = 0; b < 4; b++) {
            f->pub.pixels[8 + b] = (uint8_t)(s->id >> (8 * b));
        }
        f->pub.ready_ns = weftcam_now_ns();
        s->ring[(s->head + s->count) % WEFTCAM_RING] = f;
        s->count++;
    } else {
        s->dropped++;                       /* every buffer is held by the caller */
    }
    if (s->limit != 0 && s->made >= s->limit) {
        s->ended = 1;
    }
    pthread_cond_broadcast(&s->ready_cond);
    int ended = s->ended;
    pthread_mutex_unlock(&s->mu);
    return ended;
}

struct pending_callback {
    weftcam_callback fn;
    void *user;
    slot *s;
};

static void *driver_main(void *arg) {
    (void)arg;
    pthread_setname_np(pthread_self(), "weftcam-driver");
    struct pending_callback batch[WEFTCAM_MAX_CAMERAS];
    pthread_mutex_lock(&driver_mu);
    for (;;) {
        int64_t now = weftcam_now_ns();
        int64_t next = INT64_MAX;
        int n = 0;
        for (int i = 0; i < WEFTCAM_MAX_CAMERAS; i++) {
            slot *s = &slots[i];
            if (!s->active) {
                continue;
            }
            if (s->next_due <= now) {
                int ended = produce(s);
                do {
                    s->next_due += s->period_ns;    /* skip missed ticks: a camera does not burst */
                } while (s->next_due <= now);
                if (s->cb != NULL) {
                    batch[n].fn = s->cb;
                    batch[n].user = s->cb_user;
                    batch[n].s = s;
                    n++;
                    s->cb_running++;
                }
                if (ended) {
                    s->active = 0;
                }
            }
            if (s->active && s->next_due < next) {
                next = s->next_due;
            }
        }
        if (n > 0) {
            pthread_mutex_unlock(&driver_mu);
            for (int k = 0; k < n; k++) {
                batch[k].fn(batch[k].user);
            }
            pthread_mutex_lock(&driver_mu);
            for (int k = 0; k < n; k++) {
                batch[k].s->cb_running--;
            }
            pthread_cond_broadcast(&cb_done);
            continue;                               /* the callbacks took time: look at the clock again */
        }
        if (next == INT64_MAX) {
            pthread_cond_wait(&driver_cond, &driver_mu);
        } else {
            struct timespec ts = to_timespec(next);
            pthread_cond_timedwait(&driver_cond, &driver_mu, &ts);
        }
    }
    return NULL;
}

API weftcam_handle weftcam_open(uint32_t fps, uint32_t frame_bytes, uint64_t frame_limit) {
    if (fps == 0 || fps > 100000 || frame_bytes < 16 || frame_bytes > (64u << 20)) {
        return 0;
    }
    pthread_once(&init_once, init);
    if (!init_ok) {
        return 0;
    }
    frame *frames[WEFTCAM_RING];
    for (int k = 0; k < WEFTCAM_RING; k++) {
        frames[k] = malloc(sizeof(frame) + frame_bytes);
        if (frames[k] == NULL) {
            for (int j = 0; j < k; j++) {
                free_frame(frames[j]);
            }
            return 0;
        }
        atomic_fetch_add(&frames_allocated, 1);
    }

    pthread_mutex_lock(&driver_mu);
    slot *s = NULL;
    int index = -1;
    for (int i = 0; i < WEFTCAM_MAX_CAMERAS; i++) {
        if ((slots[i].gen & 1) == 0 && slots[i].cb_running == 0) {   /* gen changes under both locks */
            s = &slots[i];
            index = i;
            break;
        }
    }
    if (s == NULL || (!driver_started && pthread_create(&driver_thread, NULL, driver_main, NULL) != 0)) {
        pthread_mutex_unlock(&driver_mu);
        for (int k = 0; k < WEFTCAM_RING; k++) {
            free_frame(frames[k]);
        }
        return 0;
    }
    if (!driver_started) {
        pthread_detach(driver_thread);
        driver_started = 1;
    }

    pthread_mutex_lock(&s->mu);
    s->gen++;
    s->id = atomic_fetch_add(&next_camera_id, 1) + 1;
    s->limit = frame_limit;
    s->made = s->delivered = s->dropped = 0;
    s->ended = 0;
    s->head = s->count = 0;
    s->free_list = NULL;
    for (int k = 0; k < WEFTCAM_RING; k++) {
        frame *f = frames[k];
        memset(f, 0, sizeof(frame));
        f->pub.pixels = (uint8_t *)(f + 1);
        f->pub.size = frame_bytes;
        f->pub.camera = s->id;
        f->slot = (uint32_t)index;
        f->gen = s->gen;
        f->next = s->free_list;
        s->free_list = f;
    }
    uint32_t gen = s->gen;
    pthread_mutex_unlock(&s->mu);

    int64_t now = weftcam_now_ns();
    s->period_ns = 1000000000LL / fps;
    s->next_due = epoch_ns + ((now - epoch_ns) / s->period_ns + 1) * s->period_ns;
    s->cb = NULL;
    s->cb_user = NULL;
    s->active = 1;
    pthread_cond_signal(&driver_cond);
    pthread_mutex_unlock(&driver_mu);
    return ((uint64_t)gen << 32) | (uint64_t)(index + 1);
}

API weftcam_frame *weftcam_poll(weftcam_handle cam, int *status) {
    slot *s = slot_of(cam);
    if (s == NULL) {
        set_status(status, WEFTCAM_CLOSED);
        return NULL;
    }
    weftcam_frame *out = NULL;
    int st;
    pthread_mutex_lock(&s->mu);
    if (s->gen != gen_of(cam)) {
        st = WEFTCAM_CLOSED;
    } else if (s->count > 0) {
        out = take(s);
        st = WEFTCAM_OK;
    } else {
        st = s->ended ? WEFTCAM_ENDED : WEFTCAM_EMPTY;
    }
    pthread_mutex_unlock(&s->mu);
    set_status(status, st);
    return out;
}

API weftcam_frame *weftcam_wait(weftcam_handle cam, int64_t timeout_ns, int *status) {
    slot *s = slot_of(cam);
    if (s == NULL) {
        set_status(status, WEFTCAM_CLOSED);
        return NULL;
    }
    int64_t deadline = timeout_ns >= 0 ? weftcam_now_ns() + timeout_ns : 0;
    weftcam_frame *out = NULL;
    int st;
    pthread_mutex_lock(&s->mu);
    for (;;) {
        if (s->gen != gen_of(cam)) {
            st = WEFTCAM_CLOSED;
            break;
        }
        if (s->count > 0) {
            out = take(s);
            st = WEFTCAM_OK;
            break;
        }
        if (s->ended) {
            st = WEFTCAM_ENDED;
            break;
        }
        if (timeout_ns < 0) {
            pthread_cond_wait(&s->ready_cond, &s->mu);
        } else if (weftcam_now_ns() >= deadline) {
            st = WEFTCAM_TIMEOUT;
            break;
        } else {
            struct timespec ts = to_timespec(deadline);
            pthread_cond_timedwait(&s->ready_cond, &s->mu, &ts);
        }
    }
    pthread_mutex_unlock(&s->mu);
    set_status(status, st);
    return out;
}

API int weftcam_release(weftcam_frame *pub) {
    if (pub == NULL) {
        return WEFTCAM_EINVAL;
    }
    frame *f = (frame *)pub;
    if (f->slot >= WEFTCAM_MAX_CAMERAS) {
        return WEFTCAM_EINVAL;
    }
    slot *s = &slots[f->slot];
    pthread_mutex_lock(&s->mu);
    if (f->gen == s->gen) {
        if (!f->lent) {
            pthread_mutex_unlock(&s->mu);
            return WEFTCAM_EINVAL;              /* released twice */
        }
        f->lent = 0;
        f->next = s->free_list;
        s->free_list = f;
        pthread_mutex_unlock(&s->mu);
        return WEFTCAM_OK;
    }
    pthread_mutex_unlock(&s->mu);
    free_frame(f);                              /* the camera was closed while the caller held it */
    return WEFTCAM_OK;
}

/* Called with driver_mu held. */
static int is_open(slot *s, weftcam_handle cam) {
    pthread_mutex_lock(&s->mu);
    int open = s->gen == gen_of(cam);
    pthread_mutex_unlock(&s->mu);
    return open;
}

static void await_callbacks(slot *s) {
    if (!on_driver_thread()) {
        while (s->cb_running > 0) {
            pthread_cond_wait(&cb_done, &driver_mu);
        }
    }
}

API int weftcam_set_callback(weftcam_handle cam, weftcam_callback fn, void *user) {
    slot *s = slot_of(cam);
    if (s == NULL) {
        return WEFTCAM_CLOSED;
    }
    pthread_mutex_lock(&driver_mu);
    await_callbacks(s);
    int rc = WEFTCAM_CLOSED;
    if (is_open(s, cam)) {
        s->cb = fn;
        s->cb_user = user;
        rc = WEFTCAM_OK;
    }
    pthread_mutex_unlock(&driver_mu);
    return rc;
}

API int weftcam_available(weftcam_handle cam) {
    slot *s = slot_of(cam);
    if (s == NULL) {
        return WEFTCAM_CLOSED;
    }
    pthread_mutex_lock(&s->mu);
    int r = s->gen != gen_of(cam) ? WEFTCAM_CLOSED : (!s->ended || s->count > 0);
    pthread_mutex_unlock(&s->mu);
    return r;
}

API uint32_t weftcam_id(weftcam_handle cam) {
    slot *s = slot_of(cam);
    if (s == NULL) {
        return 0;
    }
    pthread_mutex_lock(&s->mu);
    uint32_t id = s->gen == gen_of(cam) ? s->id : 0;
    pthread_mutex_unlock(&s->mu);
    return id;
}

API int weftcam_counters_of(weftcam_handle cam, weftcam_counters *out) {
    slot *s = slot_of(cam);
    if (s == NULL || out == NULL) {
        return s == NULL ? WEFTCAM_CLOSED : WEFTCAM_EINVAL;
    }
    pthread_mutex_lock(&s->mu);
    int rc = WEFTCAM_CLOSED;
    if (s->gen == gen_of(cam)) {
        out->made = s->made;
        out->delivered = s->delivered;
        out->dropped = s->dropped;
        rc = WEFTCAM_OK;
    }
    pthread_mutex_unlock(&s->mu);
    return rc;
}

API int weftcam_close(weftcam_handle cam, weftcam_counters *out) {
    slot *s = slot_of(cam);
    if (s == NULL) {
        return WEFTCAM_CLOSED;
    }
    pthread_mutex_lock(&driver_mu);
    pthread_mutex_lock(&s->mu);
    if (s->gen != gen_of(cam)) {
        pthread_mutex_unlock(&s->mu);
        pthread_mutex_unlock(&driver_mu);
        return WEFTCAM_CLOSED;
    }
    s->gen++;                                   /* from here on the handle is stale */
    s->dropped += s->count;                     /* made, never taken */
    while (s->count > 0) {
        frame *f = s->ring[s->head];
        s->head = (s->head + 1) % WEFTCAM_RING;
        s->count--;
        free_frame(f);
    }
    while (s->free_list != NULL) {
        frame *f = s->free_list;
        s->free_list = f->next;
        free_frame(f);
    }
    if (out != NULL) {
        out->made = s->made;
        out->delivered = s->delivered;
        out->dropped = s->dropped;
    }
    pthread_cond_broadcast(&s->ready_cond);     /* waiters return CLOSED */
    pthread_mutex_unlock(&s->mu);

    s->active = 0;
    weftcam_callback fn = s->cb;
    void *user = s->cb_user;
    s->cb = NULL;
    s->cb_user = NULL;
    await_callbacks(s);
    pthread_mutex_unlock(&driver_mu);
    if (fn != NULL && !on_driver_thread()) {
        fn(user);                               /* the last call: the camera is gone */
    }
    return WEFTCAM_OK;
}
