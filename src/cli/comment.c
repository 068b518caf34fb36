/* gazette comment list | add | approve | spam | trash: the moderation queue from the shell,
 * and adding comments from scripts through the same rules as the reply form. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/content.h"
#include "lib/timeutil.h"
#include "news/comment.h"

static int comment_list(struct cli *cli, int argc, char **argv)
{
    static const struct option opts[] = {
        {"format", required_argument, NULL, 'f'}, {"post", required_argument, NULL, 'p'}, {NULL, 0, NULL, 0}};
    int json = 0, c, status = 1, ret;
    int64_t post_id = 0;

    optind = 1;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (c == 'f' && (strcmp(optarg, "json") == 0 || strcmp(optarg, "table") == 0)) {
            json = strcmp(optarg, "json") == 0;
        } else if (c == 'p') {
            if ((post_id = cli_parse_id("comment list", optarg)) == 0)
                return 2;
        } else {
            fprintf(stderr, "usage: gazette comment list [--format=json|table] [--post ID]\n");
            return 2;
        }
    }
    if (optind != argc) {
        fprintf(stderr, "usage: gazette comment list [--format=json|table] [--post ID]\n");
        return 2;
    }
    struct db *db = cli_open_db(cli);
    struct comment_list l = {0};
    if (db == NULL)
        return 1;
    if ((ret = db_comment_list_all(db, post_id, &l)) < 0) {
        cli_fail("comment list", db_errmsg(db), ret);
        goto out;
    }
    json_t *arr = json ? json_array() : NULL;
    if (!json)
        printf("%-5s %-5s %-6s %-9s %-20s %-24s %s\n", "ID", "POST", "PARENT", "STATUS", "CREATED", "AUTHOR", "BODY");
    for (size_t i = 0; i < l.n; i++) {
        struct comment *m = &l.items[i];
        char when[TIME_ISO_LEN];
        time_format_iso(m->created_at, when);
        if (!json) {
            int cut = (int)strcspn(m->body, "\n");
            printf("%-5lld %-5lld %-6lld %-9s %-20s %-24s %.*s%s\n", (long long)m->id, (long long)m->post_id,
                   (long long)m->parent_id, comment_status_name(m->status), when, m->author, cut > 60 ? 60 : cut,
                   m->body, cut > 60 || m->body[cut] ? "…" : "");
            continue;
        }
        json_t *o = json_object();
        json_object_set_new(o, "id", json_integer(m->id));
        json_object_set_new(o, "post_id", json_integer(m->post_id));
        json_object_set_new(o, "parent_id", json_integer(m->parent_id));
        json_object_set_new(o, "status", json_string(comment_status_name(m->status)));
        json_object_set_new(o, "type", json_string(comment_type_name(m->type)));
        json_object_set_new(o, "author", cli_json_str(m->author));
        json_object_set_new(o, "email", cli_json_str(m->email));
        json_object_set_new(o, "url", cli_json_str(m->url));
        json_object_set_new(o, "ip", cli_json_str(m->ip));
        json_object_set_new(o, "user_agent", cli_json_str(m->user_agent));
        json_object_set_new(o, "created_at", json_string(when));
        json_object_set_new(o, "body", cli_json_str(m->body));
        json_array_append_new(arr, o);
    }
    if (json) {
        char *s = json_dumps(arr, JSON_INDENT(2));
        json_decref(arr);
        if (s == NULL) {
            cli_fail("comment list", "cannot write JSON", -ENOMEM);
            goto out;
        }
        puts(s);
        free(s);
    }
    status = 0;
out:
    comment_list_free(&l);
    db_close(db);
    return status;
}

static int usage_add(void)
{
    fprintf(stderr,
            "usage: gazette comment add --post ID [--parent ID] --author NAME --email E [--url U] "
            "[--status approved|pending|spam|trash] [--date ISO] [--file PATH]   (the body from the file or stdin)\n");
    return 2;
}

static struct comment_field field(const char *s)
{
    return (struct comment_field){s, s ? strlen(s) : 0};
}

static int comment_add(struct cli *cli, int argc, char **argv)
{
    static const struct option opts[] = {{"post", required_argument, NULL, 'p'},
                                         {"parent", required_argument, NULL, 'P'},
                                         {"author", required_argument, NULL, 'a'},
                                         {"email", required_argument, NULL, 'e'},
                                         {"url", required_argument, NULL, 'u'},
                                         {"status", required_argument, NULL, 's'},
                                         {"file", required_argument, NULL, 'F'},
                                         {"date", required_argument, NULL, 'd'},
                                         {NULL, 0, NULL, 0}};
    struct comment_submission in = {.now = time_now(), .force_status = -1};
    const char *author = NULL, *email = NULL, *url = NULL, *file = NULL;
    int c;

    optind = 1;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'p':
            if ((in.post_id = cli_parse_id("comment add", optarg)) == 0)
                return 2;
            break;
        case 'P':
            if (strcmp(optarg, "0") != 0 && (in.parent_id = cli_parse_id("comment add", optarg)) == 0)
                return 2;
            break;
        case 'a':
            author = optarg;
            break;
        case 'e':
            email = optarg;
            break;
        case 'u':
            url = optarg;
            break;
        case 's': {
            enum comment_status st;
            if (comment_status_parse(optarg, &st) < 0) {
                fprintf(stderr, "gazette comment add: --status takes approved, pending, spam or trash\n");
                return 2;
            }
            in.force_status = (int)st;
            break;
        }
        case 'F':
            file = optarg;
            break;
        case 'd':
            if (time_parse_iso(optarg, strlen(optarg), &in.created_at) < 0) {
                fprintf(stderr, "gazette comment add: not a date: %s (want 2026-05-04T09:30:00Z)\n", optarg);
                return 2;
            }
            break;
        default:
            return usage_add();
        }
    }
    if (optind != argc || in.post_id == 0)
        return usage_add();

    char *body = NULL;
    if (cli_read_body(cli, file, COMMENT_BODY_MAX * 2, &body) < 0)
        return 1;
    in.author = field(author);
    in.email = field(email);
    in.url = field(url);
    in.body = field(body);
    in.user_agent = field("gazette comment add");

    struct db *db = cli_open_db(cli);
    struct comment_result r;
    int status = 1, ret;
    if (db == NULL)
        goto out;
    if ((ret = comment_submit(db, &in, &r)) < 0) {
        cli_fail("comment add", db_errmsg(db), ret);
        goto out;
    }
    switch (r.outcome) {
    case COMMENT_ACCEPTED:
        printf("%lld %s\n", (long long)r.id, comment_status_name(r.status));
        status = 0;
        break;
    case COMMENT_INVALID:
        for (size_t i = 0; i < r.n_errors; i++)
            fprintf(stderr, "gazette comment add: %s: %s\n", r.errors[i].field, r.errors[i].message);
        break;
    case COMMENT_NOT_FOUND:
        fprintf(stderr, "gazette comment add: post %lld does not exist or is not published\n", (long long)in.post_id);
        break;
    case COMMENT_CLOSED:
        fprintf(stderr, "gazette comment add: comments are closed on post %lld\n", (long long)in.post_id);
        break;
    case COMMENT_FLOOD:
        fprintf(stderr, "gazette comment add: posting comments too quickly\n");
        break;
    case COMMENT_DUPLICATE:
        fprintf(stderr, "gazette comment add: duplicate comment detected\n");
        break;
    }
out:
    free(body);
    db_close(db);
    return status;
}

static int comment_moderate(struct cli *cli, const char *verb, enum comment_status st, int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: gazette comment %s ID\n", verb);
        return 2;
    }
    int64_t id = cli_parse_id(verb, argv[1]);
    if (id == 0)
        return 2;
    struct db *db = cli_open_db(cli);
    if (db == NULL)
        return 1;
    int ret = comment_set_status(db, id, st), status = 0;
    if (ret == -ENOENT) {
        fprintf(stderr, "gazette comment %s: no comment %lld\n", verb, (long long)id);
        status = 1;
    } else if (ret < 0) {
        status = cli_fail(cli->cmd, db_errmsg(db), ret);
    }
    db_close(db);
    return status;
}

int cli_comment(struct cli *cli, int argc, char **argv)
{
    const char *verb = argc >= 1 ? argv[0] : "";
    if (strcmp(verb, "list") == 0)
        return comment_list(cli, argc, argv);
    if (strcmp(verb, "add") == 0)
        return comment_add(cli, argc, argv);
    if (strcmp(verb, "approve") == 0)
        return comment_moderate(cli, verb, COMMENT_APPROVED, argc, argv);
    if (strcmp(verb, "spam") == 0)
        return comment_moderate(cli, verb, COMMENT_SPAM, argc, argv);
    if (strcmp(verb, "trash") == 0)
        return comment_moderate(cli, verb, COMMENT_TRASH, argc, argv);
    if (strcmp(verb, "unapprove") == 0 || strcmp(verb, "hold") == 0)
        return comment_moderate(cli, verb, COMMENT_PENDING, argc, argv);
    fprintf(stderr, "usage: gazette comment list|add|approve|hold|spam|trash ...\n");
    return 2;
}
