/* Template benchmark, Gazette's side: compiles the theme in DIR once, renders "page" against
 * DIR/data.json after a warm-up until SECONDS of CPU time are spent, prints renders per CPU second
 * (and per wall-clock second) and writes the last output to OUT so that bench/template.sh can
 * check it is byte-identical to mustache.js's. CPU time keeps the figure honest on a shared machine.
 *   bench_template DIR SECONDS OUT */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "render/template.h"

static double now(clockid_t clock)
{
    struct timespec ts;
    clock_gettime(clock, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: bench_template DIR SECONDS [OUT]\n");
        return 2;
    }
    char path[4096], msg[512];
    struct tpl_error err;
    struct tpl_set *set = tpl_set_new();
    if (tpl_set_load_dir(set, argv[1], &err) != 0 || tpl_set_check(set, &err) != 0) {
        fprintf(stderr, "%s\n", tpl_error_str(&err, msg, sizeof(msg)));
        return 1;
    }
    snprintf(path, sizeof(path), "%s/data.json", argv[1]);
    json_error_t jerr;
    json_t *data = json_load_file(path, 0, &jerr);
    if (data == NULL) {
        fprintf(stderr, "%s: %s\n", path, jerr.text);
        return 1;
    }
    double seconds = atof(argv[2]);
    struct buf out = BUF_INIT;
    for (int i = 0; i < 200; i++) {
        buf_reset(&out);
        if (tpl_render(set, "page", data, &out, &err) != 0) {
            fprintf(stderr, "%s\n", tpl_error_str(&err, msg, sizeof(msg)));
            return 1;
        }
    }
    long n = 0;
    double start = now(CLOCK_MONOTONIC), cpu0 = now(CLOCK_PROCESS_CPUTIME_ID), cpu;
    do {
        for (int i = 0; i < 500; i++) {
            buf_reset(&out);
            tpl_render(set, "page", data, &out, &err);
        }
        n += 500;
        cpu = now(CLOCK_PROCESS_CPUTIME_ID) - cpu0;
    } while (cpu < seconds);
    double wall = now(CLOCK_MONOTONIC) - start;
    if (argc > 3) {
        FILE *f = fopen(argv[3], "wb");
        if (f == NULL || fwrite(out.data, 1, out.len, f) != out.len || fclose(f) != 0) {
            perror(argv[3]);
            return 1;
        }
    }
    printf("gazette: %ld renders in %.2f s CPU (%.2f s wall), %.0f renders/s CPU (%.0f wall), %zu bytes\n", n, cpu,
           wall, (double)n / cpu, (double)n / wall, out.len);
    buf_free(&out);
    json_decref(data);
    tpl_set_free(set);
    return 0;
}
