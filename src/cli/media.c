/* gazette media add | list | delete: the media library from the shell. add runs the same rules
 * as an upload in the newsroom (news/media.c); list prints a table or JSON with every copy. */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/content.h"
#include "lib/timeutil.h"
#include "news/media.h"

#define MEDIA_LIST_MAX 100000 /* media one list prints */

static int uploads_dir(struct cli *cli, char *out, size_t cap)
{
    if (snprintf(out, cap, "%s/uploads", cli->data_dir) >= (int)cap) {
        fprintf(stderr, "gazette media: the data directory's name is too long\n");
        return -1;
    }
    return 0;
}

static int media_add_cmd(struct cli *cli, int argc, char **argv)
{
    static const struct option opts[] = {
        {"alt", required_argument, NULL, 'a'},    {"caption", required_argument, NULL, 'c'},
        {"credit", required_argument, NULL, 'r'}, {"title", required_argument, NULL, 't'},
        {"format", required_argument, NULL, 'f'}, {NULL, 0, NULL, 0}};
    struct media_text text = {0};
    int json = 0, c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'a':
            text.alt = optarg;
            break;
        case 'c':
            text.caption = optarg;
            break;
        case 'r':
            text.credit = optarg;
            break;
        case 't':
            text.title = optarg;
            break;
        case 'f':
            json = strcmp(optarg, "json") == 0;
            break;
        default:
            return 2;
        }
    }
    if (optind + 1 != argc) {
        fprintf(stderr, "usage: gazette media add FILE [--title T] [--alt T] [--caption T] [--credit T]\n");
        return 2;
    }
    char path[PATH_MAX], uploads[PATH_MAX];
    if (realpath(argv[optind], path) == NULL)
        return cli_fail("media add", argv[optind], -errno);
    if (uploads_dir(cli, uploads, sizeof(uploads)) < 0)
        return 1;
    struct db *db = cli_open_db(cli);
    if (db == NULL)
        return 1;
    char why[MEDIA_WHY_MAX] = "";
    int64_t id = 0;
    int existed = 0;
    int ret = media_add(db, uploads, path, &text, 0, time_now(), NULL, &id, &existed, why);
    db_close(db);
    if (ret < 0) {
        fprintf(stderr, "gazette media add: %s: %s\n", argv[optind], why[0] ? why : strerror(-ret));
        return 1;
    }
    if (json)
        printf("{\"id\": %lld, \"existed\": %s}\n", (long long)id, existed ? "true" : "false");
    else
        printf("%s medium %lld\n", existed ? "already in the library as" : "added", (long long)id);
    return 0;
}

static json_t *medium_json(const struct medium *m)
{
    json_t *o = json_pack("{s:I, s:s, s:s, s:i, s:i, s:I, s:o, s:o, s:o, s:o, s:I, s:I}", "id", (json_int_t)m->id,
                          "hash", m->hash, "mime", m->mime, "width", m->width, "height", m->height, "bytes",
                          (json_int_t)m->bytes, "title", cli_json_str(m->title), "alt", cli_json_str(m->alt), "caption",
                          cli_json_str(m->caption), "credit", cli_json_str(m->credit), "created_at",
                          (json_int_t)m->created_at, "uses", (json_int_t)m->uses);
    json_t *copies = json_array();
    for (size_t i = 0; i < m->ncopies; i++)
        json_array_append_new(copies, json_pack("{s:s, s:i, s:i, s:I, s:s}", "format", m->copies[i].format, "width",
                                                m->copies[i].width, "height", m->copies[i].height, "bytes",
                                                (json_int_t)m->copies[i].bytes, "path", m->copies[i].path));
    json_object_set_new(o, "copies", copies);
    return o;
}

static int media_list_cmd(struct cli *cli, int argc, char **argv)
{
    int json = 0;
    const char *search = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--format=json") == 0 ||
            (strcmp(argv[i], "--format") == 0 && i + 1 < argc && strcmp(argv[++i], "json") == 0))
            json = 1;
        else if (strcmp(argv[i], "--search") == 0 && i + 1 < argc)
            search = argv[++i];
        else {
            fprintf(stderr, "usage: gazette media list [--search WORDS] [--format=json]\n");
            return 2;
        }
    }
    struct db *db = cli_open_db(cli);
    if (db == NULL)
        return 1;
    struct media_list l = {0};
    int ret = db_media_list(db, search, 0, MEDIA_LIST_MAX, &l);
    json_t *a = json_array();
    for (size_t i = 0; ret == 0 && i < l.n; i++) {
        struct medium m = {0};
        if ((ret = db_media_get(db, l.items[i].id, &m)) < 0)
            break;
        m.uses = l.items[i].uses;
        if (json)
            json_array_append_new(a, medium_json(&m));
        else
            printf("%lld\t%s\t%dx%d\t%s/%.20s\tuses=%lld\t%s\n", (long long)m.id, m.mime, m.width, m.height, m.dir,
                   m.hash, (long long)m.uses, m.title);
        medium_clear(&m);
    }
    if (ret < 0)
        fprintf(stderr, "gazette media list: %s\n", db_errmsg(db));
    db_close(db);
    media_list_free(&l);
    if (ret == 0 && json) {
        char *s = json_dumps(a, JSON_INDENT(2));
        if (s)
            puts(s);
        free(s);
    }
    json_decref(a);
    return ret < 0 ? 1 : 0;
}

static int media_delete_cmd(struct cli *cli, int argc, char **argv)
{
    int force = 0;
    const char *arg = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--force") == 0)
            force = 1;
        else if (arg == NULL)
            arg = argv[i];
        else
            arg = "";
    }
    if (arg == NULL || arg[0] == '\0') {
        fprintf(stderr, "usage: gazette media delete ID [--force]\n");
        return 2;
    }
    int64_t id = cli_parse_id("media delete", arg);
    char uploads[PATH_MAX];
    if (id == 0 || uploads_dir(cli, uploads, sizeof(uploads)) < 0)
        return id == 0 ? 2 : 1;
    struct db *db = cli_open_db(cli);
    if (db == NULL)
        return 1;
    char why[MEDIA_WHY_MAX] = "";
    int ret = media_delete(db, uploads, id, force, why);
    db_close(db);
    if (ret == -EBUSY) {
        fprintf(stderr, "gazette media delete: %s Run again with --force to delete it anyway.\n", why);
        return 1;
    }
    if (ret < 0) {
        fprintf(stderr, "gazette media delete: %s\n", why[0] ? why : strerror(-ret));
        return 1;
    }
    printf("deleted medium %lld\n", (long long)id);
    return 0;
}

int cli_media(struct cli *cli, int argc, char **argv)
{
    if (argc >= 1 && strcmp(argv[0], "add") == 0)
        return media_add_cmd(cli, argc, argv);
    if (argc >= 1 && strcmp(argv[0], "list") == 0)
        return media_list_cmd(cli, argc, argv);
    if (argc >= 1 && strcmp(argv[0], "delete") == 0)
        return media_delete_cmd(cli, argc, argv);
    fprintf(stderr, "usage: gazette media add FILE [--title T] [--alt T] [--caption T] [--credit T] | list "
                    "[--format=json] | delete ID [--force]\n");
    return 2;
}
