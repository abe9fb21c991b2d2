/*
 * The echo suite's load client (../shared/BENCH-SPEC.md), in C so that it is not what is
 * measured: one thread, one epoll instance, C connections on loopback. Each connection sends a
 * 64-byte message, waits until all 64 bytes are back, records the round trip, and sends again,
 * for the warm-up and then the measured period. Prints on stdout:
 *   <messages per second> <p99 round trip in us> <client CPU, % of one core, while measuring>
 * Built by EchoSuite with gcc -O2 at first use. Usage: echo_client <port> <conns> <warmup-s> <seconds>
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
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

typedef struct {
    int fd;
    int got;
    int sent;
    int wants_out;
    long long sent_at;
} conn;

static unsigned char out_msg[MSG];
static int epfd;

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

static void interest(conn *c, int idx, int out) {
    if (c->wants_out == out) {
        return;
    }
    struct epoll_event ev = {.events = EPOLLIN | (out ? EPOLLOUT : 0), .data.u32 = (unsigned) idx};
    if (epoll_ctl(epfd, EPOLL_CTL_MOD, c->fd, &ev) < 0) {
        die("epoll_ctl");
    }
    c->wants_out = out;
}

static void flush(conn *c, int idx) {
    while (c->sent < MSG) {
        ssize_t w = write(c->fd, out_msg + c->sent, MSG - c->sent);
        if (w < 0) {
            if (errno == EAGAIN) {
                break;
            }
            die("write");
        }
        c->sent += (int) w;
    }
    interest(c, idx, c->sent < MSG);
}

static void send_msg(conn *c, int idx, long long t) {
    c->sent_at = t;
    c->sent = 0;
    flush(c, idx);
}

int main(int argc, char **argv) {
    if (argc != 5) {
        fprintf(stderr, "usage: echo_client <port> <conns> <warmup-s> <seconds>\n");
        return 2;
    }
    int port = atoi(argv[1]);
    int n = atoi(argv[2]);
    double warmup = atof(argv[3]);
    double seconds = atof(argv[4]);
    for (int i = 0; i < MSG; i++) {
        out_msg[i] = (unsigned char) i;
    }
    long long *hist = calloc(BUCKETS + 1, sizeof(long long));
    conn *cs = calloc((size_t) n, sizeof(conn));
    unsigned char buf[MSG];
    if (!hist || !cs) {
        die("calloc");
    }
    epfd = epoll_create1(EPOLL_CLOEXEC);
    if (epfd < 0) {
        die("epoll_create1");
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
        fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
        cs[i].fd = fd;
        struct epoll_event ev = {.events = EPOLLIN, .data.u32 = (unsigned) i};
        if (epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev) < 0) {
            die("epoll_ctl");
        }
    }
    long long start = now_ns();
    long long from = start + (long long) (warmup * 1e9);
    long long to = from + (long long) (seconds * 1e9);
    long long cpu_from = -1;
    for (int i = 0; i < n; i++) {
        send_msg(&cs[i], i, now_ns());
    }
    long long measured = 0;
    struct epoll_event evs[1024];
    long long now = now_ns();
    while (now < to) {
        if (cpu_from < 0 && now >= from) {
            cpu_from = cpu_ns();
        }
        int k = epoll_wait(epfd, evs, 1024, 1);
        if (k < 0 && errno != EINTR) {
            die("epoll_wait");
        }
        for (int e = 0; e < k; e++) {
            int idx = (int) evs[e].data.u32;
            conn *c = &cs[idx];
            if (evs[e].events & (EPOLLIN | EPOLLHUP | EPOLLERR)) {
                ssize_t r = read(c->fd, buf, (size_t) (MSG - c->got));
                if (r == 0) {
                    fprintf(stderr, "echo_client: the server closed a connection\n");
                    return 1;
                }
                if (r < 0 && errno != EAGAIN) {
                    die("read");
                }
                if (r > 0) {
                    c->got += (int) r;
                    if (c->got == MSG) {
                        long long t = now_ns();
                        if (c->sent_at >= from && t < to) {
                            long long us = (t - c->sent_at) / 1000;
                            hist[us < BUCKETS ? us : BUCKETS]++;
                            measured++;
                        }
                        c->got = 0;
                        send_msg(c, idx, t);
                    }
                }
            }
            if (evs[e].events & EPOLLOUT) {
                flush(c, idx);
            }
        }
        now = now_ns();
    }
    long long cpu_used = cpu_ns() - (cpu_from < 0 ? 0 : cpu_from);
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
