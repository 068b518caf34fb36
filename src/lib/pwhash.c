/* Password hashes (pwhash.h), here or in a helper process.
 *
 * Why a helper: each hash maps 64 MiB, fills it and unmaps it. In the server's own address space
 * that takes the kernel's lock of the address space, which every page fault of the event loops
 * takes too, and the unmapping interrupts every processor that runs a thread of the process to
 * flush its address cache. Under 10 logins a second the page p99 of bench/mixed.sh moved 1.3 to
 * 1.6 times, with the hashing thread already at the lowest priority. A helper shares none of
 * that, and it can run as SCHED_IDLE, which a thread of the server cannot (app/writer.c): it holds
 * no lock the loops wait for.
 *
 * The exchange, one datagram each way on a SOCK_SEQPACKET pair: a request is a struct request, the
 * password, and for a check the stored hash with its NUL; the answer is a struct reply. */
#include "lib/pwhash.h"

#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <sodium.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

_Static_assert(PWHASH_STRBYTES == crypto_pwhash_STRBYTES, "pwhash.h spells libsodium's size");

extern char **environ;

enum { OP_HASH = 1, OP_VERIFY = 2 };

struct request {
    uint32_t op, n; /* what to do, the password's length */
};

struct reply {
    int32_t rc;
    char str[PWHASH_STRBYTES]; /* OP_HASH's hash */
};

#define REQUEST_MAX (sizeof(struct request) + PWHASH_INPUT_MAX + PWHASH_STRBYTES)

static const char *program; /* set before any thread starts, read only after */

/* The calling thread's helper: on since pwhash_offload, pid and fd once started. */
static _Thread_local struct {
    int on;
    pid_t pid;
    int fd;
} helper = {0, 0, -1};

static int hash_here(char out[PWHASH_STRBYTES], const char *password, size_t n)
{
    if (n > PWHASH_INPUT_MAX)
        return -EINVAL;
    if (sodium_init() < 0)
        return -EIO;
    if (crypto_pwhash_str(out, password, n, crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE) !=
        0)
        return -ENOMEM;
    return 0;
}

static int verify_here(const char *stored, const char *password, size_t n)
{
    if (sodium_init() < 0)
        return -EIO;
    return crypto_pwhash_str_verify(stored, password, n) == 0 ? 0 : -EACCES;
}

/* Starts this thread's helper: its end of the socket on descriptor 0 and no other descriptor of
 * ours, signals at their defaults and unblocked, in a process group of its own (a ^C at the
 * terminal stops the server, which then closes the socket, not the helper under a request). */
static int start(void)
{
    int sv[2], rc;
    if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
        return -errno;
    posix_spawn_file_actions_t fa;
    posix_spawnattr_t at;
    sigset_t none, defaults;
    char *argv[] = {(char *)"gazette", (char *)PWHASH_HELPER_ARG, NULL};

    sigemptyset(&none);
    sigfillset(&defaults);
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, sv[1], 0);
    posix_spawn_file_actions_addclosefrom_np(&fa, 3);
    posix_spawnattr_init(&at);
    posix_spawnattr_setflags(&at, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP);
    posix_spawnattr_setsigmask(&at, &none);
    posix_spawnattr_setsigdefault(&at, &defaults);
    posix_spawnattr_setpgroup(&at, 0);
    rc = posix_spawn(&helper.pid, program, &fa, &at, argv, environ);
    posix_spawnattr_destroy(&at);
    posix_spawn_file_actions_destroy(&fa);
    close(sv[1]);
    if (rc != 0) {
        close(sv[0]);
        fprintf(stderr, "gazette: cannot start the password helper %s: %s; hashing in the server\n", program,
                strerror(rc));
        helper.on = 0; /* said once: from now on this thread hashes itself */
        return -rc;
    }
    helper.fd = sv[0];
    return 0;
}

/* Sends one request and reads its answer into r: 0, or -EPIPE when the helper is gone. */
static int ask(uint32_t op, const char *password, size_t n, const char *stored, struct reply *r)
{
    struct request q = {op, (uint32_t)n};
    struct iovec iov[3] = {{&q, sizeof(q)}, {(void *)password, n}, {(void *)stored, stored ? strlen(stored) + 1 : 0}};
    struct msghdr m = {.msg_iov = iov, .msg_iovlen = 3};
    ssize_t k;
    if (sendmsg(helper.fd, &m, MSG_NOSIGNAL) < 0)
        return -EPIPE;
    do
        k = recv(helper.fd, r, sizeof(*r), 0);
    while (k < 0 && errno == EINTR);
    return k == (ssize_t)sizeof(*r) ? 0 : -EPIPE;
}

/* The helper's answer to a request, or -EPIPE when there is no helper to ask (none asked for,
 * none could be started, or it died twice in a row: a killed one is replaced once). */
static int offloaded(uint32_t op, const char *password, size_t n, const char *stored, char out[PWHASH_STRBYTES])
{
    struct reply r;
    for (int tries = 0; tries < 2 && helper.on; tries++) {
        if (helper.fd < 0 && start() < 0)
            break;
        if (ask(op, password, n, stored, &r) == 0) {
            int rc = r.rc <= 0 ? r.rc : -EIO;
            if (rc == 0 && out != NULL)
                memcpy(out, r.str, PWHASH_STRBYTES);
            sodium_memzero(&r, sizeof(r));
            return rc;
        }
        pwhash_offload_end(); /* reaps the dead helper; the next try starts another */
    }
    return -EPIPE;
}

int pwhash_str(char out[PWHASH_STRBYTES], const char *password, size_t n)
{
    if (n > PWHASH_INPUT_MAX)
        return -EINVAL;
    int rc = offloaded(OP_HASH, password, n, NULL, out);
    return rc != -EPIPE ? rc : hash_here(out, password, n);
}

int pwhash_verify(const char *stored, const char *password, size_t n)
{
    if (n > PWHASH_INPUT_MAX || strnlen(stored, PWHASH_STRBYTES) == PWHASH_STRBYTES)
        return -EACCES; /* no hash libsodium made is that long */
    int rc = offloaded(OP_VERIFY, password, n, stored, NULL);
    return rc != -EPIPE ? rc : verify_here(stored, password, n);
}

void pwhash_helper_program(const char *path)
{
    program = path;
}

void pwhash_offload(void)
{
    helper.on = program != NULL;
}

void pwhash_offload_end(void)
{
    if (helper.fd < 0)
        return;
    close(helper.fd); /* the helper reads the end of its input and exits */
    helper.fd = -1;
    while (waitpid(helper.pid, NULL, 0) < 0 && errno == EINTR)
        ;
    helper.pid = 0;
}

int pwhash_helper_main(void)
{
    static char q[REQUEST_MAX + 1];
    struct sched_param idle = {.sched_priority = 0};
    struct reply r;
    sched_setscheduler(0, SCHED_IDLE, &idle); /* the loops of the server never wait for it */
    prctl(PR_SET_NAME, "gazette-pwhash");     /* in ps and top, not "exe" */
    for (;;) {
        ssize_t k = recv(0, q, sizeof(q), 0);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            return k == 0 ? 0 : 1;
        struct request h;
        memset(&r, 0, sizeof(r));
        r.rc = -EINVAL;
        if ((size_t)k >= sizeof(h) && (size_t)k <= REQUEST_MAX) {
            memcpy(&h, q, sizeof(h));
            const char *password = q + sizeof(h), *stored = password + h.n;
            size_t rest = (size_t)k - sizeof(h);
            if (h.op == OP_HASH && h.n == rest)
                r.rc = hash_here(r.str, password, h.n);
            else if (h.op == OP_VERIFY && h.n < rest && q[k - 1] == '\0')
                r.rc = verify_here(stored, password, h.n);
        }
        sodium_memzero(q, (size_t)k);
        ssize_t sent = send(0, &r, sizeof(r), MSG_NOSIGNAL);
        sodium_memzero(&r, sizeof(r));
        if (sent != (ssize_t)sizeof(r))
            return 1;
    }
}
