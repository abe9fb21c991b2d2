/*
 * The echo suite's TLS load client (../shared/BENCH-SPEC.md, the -tls runners), in C with OpenSSL
 * so that it is not what is measured: echo_client.c over TLS. C connections on loopback, each
 * completing a full TLS 1.3 handshake (TLS_AES_128_GCM_SHA256 only, no session resumption, the
 * server's certificate not checked: the suite's own self-signed one) before the clock starts.
 * Then T threads, each with its own epoll instance and every T-th connection: each connection
 * sends a 64-byte message (one TLS record), waits until all 64 bytes are back, records the round
 * trip, and sends again, for the warm-up and then the measured period. Prints on stdout:
 *   <messages per second> <p99 round trip in us> <client CPU, % of one core, while measuring>
 * (the CPU of all its threads: with T threads it can reach T x 100). The negotiated protocol and
 * cipher suite go to stderr once.
 * Built by EchoSuite with gcc -O2 ... -lssl -lcrypto at first use.
 * Usage: tls_echo_client <port> <conns> <warmup-s> <seconds> [threads]
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MSG 64
#define BUCKETS 1000000
#define CIPHER_SUITE "TLS_AES_128_GCM_SHA256"

typedef struct {
    int fd;
    SSL *ssl;
    int got;
    int wants_out;       /* EPOLLOUT is in the interest set */
    int write_pending;   /* SSL_write wants to be called again with the same message */
    long long sent_at;
} conn;

typedef struct {
    int id;
    int threads;
    int n;               /* all connections; this thread has id, id + threads, ... */
    conn *cs;
    int epfd;
    long long from, to;
    long long *hist;
    long long measured;
} worker;

static unsigned char out_msg[MSG];

static long long now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1000000000LL + t.tv_nsec;
}

static long long cpu_ns(void) {
    struct rusage r;
    getrusage(RUSAGE_SELF, &r);
    return (r.ru_utime.tv_sec + r.ru_stime.tv_sec) * 1000000000LL + (r.ru_utime.tv_usec + r.ru_stime.tv_usec) * 1000LL;
}

static void die(const char *what) {
    perror(what);
    exit(1);
}

static void die_ssl(const char *what, SSL *ssl, int ret) {
    fprintf(stderr, "tls_echo_client: %s failed (SSL error %d, errno %d: %s)\n", what,
            ssl ? SSL_get_error(ssl, ret) : 0, errno, strerror(errno));
    ERR_print_errors_fp(stderr);
    exit(1);
}

static void interest(worker *w, conn *c, int idx, int out) {
    if (c->wants_out == out) {
        return;
    }
    struct epoll_event ev = {.events = EPOLLIN | (out ? EPOLLOUT : 0), .data.u32 = (unsigned) idx};
    if (epoll_ctl(w->epfd, EPOLL_CTL_MOD, c->fd, &ev) < 0) {
        die("epoll_ctl");
    }
    c->wants_out = out;
}

/* One SSL_write of the message (a record); on WANT_WRITE it is called again with it on EPOLLOUT. */
static void write_msg(worker *w, conn *c, int idx) {
    ERR_clear_error();
    int r = SSL_write(c->ssl, out_msg, MSG);
    if (r > 0) {
        c->write_pending = 0;
        interest(w, c, idx, 0);
        return;
    }
    int err = SSL_get_error(c->ssl, r);
    if (err == SSL_ERROR_WANT_WRITE || err == SSL_ERROR_WANT_READ) {
        c->write_pending = 1;
        interest(w, c, idx, err == SSL_ERROR_WANT_WRITE);
        return;
    }
    die_ssl("SSL_write", c->ssl, r);
}

static void send_msg(worker *w, conn *c, int idx, long long t) {
    c->sent_at = t;
    write_msg(w, c, idx);
}

static void *run(void *arg) {
    worker *w = arg;
    unsigned char buf[MSG];
    struct epoll_event evs[1024];
    for (int i = w->id; i < w->n; i += w->threads) {
        struct epoll_event ev = {.events = EPOLLIN, .data.u32 = (unsigned) i};
        if (epoll_ctl(w->epfd, EPOLL_CTL_ADD, w->cs[i].fd, &ev) < 0) {
            die("epoll_ctl");
        }
    }
    for (int i = w->id; i < w->n; i += w->threads) {
        send_msg(w, &w->cs[i], i, now_ns());
    }
    long long now = now_ns();
    while (now < w->to) {
        int k = epoll_wait(w->epfd, evs, 1024, 1);
        if (k < 0 && errno != EINTR) {
            die("epoll_wait");
        }
        for (int e = 0; e < k; e++) {
            int idx = (int) evs[e].data.u32;
            conn *c = &w->cs[idx];
            if (c->write_pending) {
                write_msg(w, c, idx);
                if (c->write_pending) {
                    continue;
                }
            }
            while (c->got < MSG) {
                ERR_clear_error();
                int r = SSL_read(c->ssl, buf, MSG - c->got);
                if (r > 0) {
                    c->got += r;
                    continue;
                }
                int err = SSL_get_error(c->ssl, r);
                if (err == SSL_ERROR_WANT_READ) {
                    break;
                }
                if (err == SSL_ERROR_WANT_WRITE) {   /* (an answer to a key update that the socket did not take) */
                    interest(w, c, idx, 1);
                    break;
                }
                if (err == SSL_ERROR_ZERO_RETURN || (err == SSL_ERROR_SYSCALL && r == 0)) {
                    fprintf(stderr, "tls_echo_client: the server closed a connection\n");
                    exit(1);
                }
                die_ssl("SSL_read", c->ssl, r);
            }
            if (c->got == MSG) {
                long long t = now_ns();
                if (c->sent_at >= w->from && t < w->to) {
                    long long us = (t - c->sent_at) / 1000;
                    w->hist[us < BUCKETS ? us : BUCKETS]++;
                    w->measured++;
                }
                c->got = 0;
                send_msg(w, c, idx, t);
            }
        }
        now = now_ns();
    }
    return NULL;
}

int main(int argc, char **argv) {
    if (argc != 5 && argc != 6) {
        fprintf(stderr, "usage: tls_echo_client <port> <conns> <warmup-s> <seconds> [threads]\n");
        return 2;
    }
    int port = atoi(argv[1]);
    int n = atoi(argv[2]);
    double warmup = atof(argv[3]);
    double seconds = atof(argv[4]);
    int threads = argc == 6 ? atoi(argv[5]) : 1;
    if (threads < 1) {
        threads = 1;
    }
    if (threads > n) {
        threads = n;
    }
    for (int i = 0; i < MSG; i++) {
        out_msg[i] = (unsigned char) i;
    }
    SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
    if (!ctx) {
        die_ssl("SSL_CTX_new", NULL, 0);
    }
    if (!SSL_CTX_set_min_proto_version(ctx, TLS1_3_VERSION) || !SSL_CTX_set_max_proto_version(ctx, TLS1_3_VERSION)
            || !SSL_CTX_set_ciphersuites(ctx, CIPHER_SUITE)) {
        die_ssl("setting TLS 1.3 and " CIPHER_SUITE, NULL, 0);
    }
    SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, NULL);   /* the suite's self-signed certificate; no host name check */
    SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);   /* a full handshake per connection */
    SSL_CTX_set_read_ahead(ctx, 1);   /* one read(2) per record, not one for the header and one for the body */
    conn *cs = calloc((size_t) n, sizeof(conn));
    if (!cs) {
        die("calloc");
    }
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons((unsigned short) port)};
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    for (int i = 0; i < n; i++) {
        int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        int one = 1;
        if (fd < 0) {
            die("socket");
        }
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        if (connect(fd, (struct sockaddr *) &addr, sizeof addr) < 0) {
            die("connect");
        }
        SSL *ssl = SSL_new(ctx);
        if (!ssl || !SSL_set_fd(ssl, fd)) {
            die_ssl("SSL_new", ssl, 0);
        }
        ERR_clear_error();
        int r = SSL_connect(ssl);   /* blocking: the whole handshake, before any clock starts */
        if (r != 1) {
            die_ssl("the TLS handshake (SSL_connect)", ssl, r);
        }
        if (SSL_version(ssl) != TLS1_3_VERSION) {
            fprintf(stderr, "tls_echo_client: negotiated %s, not TLSv1.3\n", SSL_get_version(ssl));
            return 1;
        }
        if (i == 0) {
            fprintf(stderr, "tls_echo_client: %d connection(s), negotiated %s %s, %d thread(s)\n", n,
                    SSL_get_version(ssl), SSL_get_cipher_name(ssl), threads);
        }
        fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
        cs[i].fd = fd;
        cs[i].ssl = ssl;
    }
    long long start = now_ns();
    long long from = start + (long long) (warmup * 1e9);
    long long to = from + (long long) (seconds * 1e9);
    worker *ws = calloc((size_t) threads, sizeof(worker));
    pthread_t *ts = calloc((size_t) threads, sizeof(pthread_t));
    if (!ws || !ts) {
        die("calloc");
    }
    for (int t = 0; t < threads; t++) {
        ws[t] = (worker) {.id = t, .threads = threads, .n = n, .cs = cs, .from = from, .to = to,
                .hist = calloc(BUCKETS + 1, sizeof(long long)), .epfd = epoll_create1(EPOLL_CLOEXEC)};
        if (!ws[t].hist) {
            die("calloc");
        }
        if (ws[t].epfd < 0) {
            die("epoll_create1");
        }
        if (pthread_create(&ts[t], NULL, run, &ws[t]) != 0) {
            die("pthread_create");
        }
    }
    long long wait = from - now_ns();
    if (wait > 0) {
        struct timespec d = {.tv_sec = wait / 1000000000LL, .tv_nsec = wait % 1000000000LL};
        nanosleep(&d, NULL);
    }
    long long cpu_from = cpu_ns();
    long long measured = 0;
    for (int t = 0; t < threads; t++) {
        pthread_join(ts[t], NULL);
    }
    long long cpu_used = cpu_ns() - cpu_from;
    for (int t = 0; t < threads; t++) {
        measured += ws[t].measured;
        if (t > 0) {
            for (long long us = 0; us <= BUCKETS; us++) {
                ws[0].hist[us] += ws[t].hist[us];
            }
        }
    }
    long long *hist = ws[0].hist;
    long long rank = (long long) (0.99 * measured + 0.999999);
    long long seen = 0, p99 = BUCKETS;
    for (long long us = 0; us <= BUCKETS && rank > 0; us++) {
        seen += hist[us];
        if (seen >= rank) {
            p99 = us;
            break;
        }
    }
    printf("%.0f %lld %.0f\n", measured / seconds, p99, 100.0 * cpu_used / (seconds * 1e9));
    for (int i = 0; i < n; i++) {
        close(cs[i].fd);
    }
    return 0;
}
