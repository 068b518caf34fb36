/* For benchmarks only (LD_PRELOAD): makes fsync and fdatasync take FSYNC_DELAY_US microseconds
 * longer, as on a disk whose flushes are slow, so that group commit can be compared with one
 * fsync per row on such a disk. Never linked into Gazette. */
#include <dlfcn.h>
#include <stdlib.h>
#include <unistd.h>

static useconds_t delay(void)
{
    const char *v = getenv("FSYNC_DELAY_US");
    return v ? (useconds_t)atol(v) : 2000;
}

int fsync(int fd)
{
    static int (*real)(int);
    if (real == NULL)
        real = (int (*)(int))dlsym(RTLD_NEXT, "fsync");
    usleep(delay());
    return real(fd);
}

int fdatasync(int fd)
{
    static int (*real)(int);
    if (real == NULL)
        real = (int (*)(int))dlsym(RTLD_NEXT, "fdatasync");
    usleep(delay());
    return real(fd);
}
