/* gazette post add | list: writing posts and pages from scripts and the shell, and listing
 * every post whatever its status (a table, or JSON for tools and tests). */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/content.h"
#include "lib/slug.h"
#include "lib/timeutil.h"
#include "news/post.h"
#include "news/user.h"

#define DEFAULT_AUTHOR "Newsroom"

/* The user called name: by login, else by the login its slug would make; created (role
 * author, no password) when missing. */
static int author_id(struct db *db, const char *name, int64_t now, int64_t *id)
{
    struct user u;
    char login[USER_LOGIN_MAX + 1];
    int ret;

    if (user_login_valid(name)) {
        size_t n = strlen(name);
        for (size_t i = 0; i <= n; i++)
            login[i] = (name[i] >= 'A' && name[i] <= 'Z') ? (char)(name[i] - 'A' + 'a') : name[i];
        if ((ret = db_user_get_by_login(db, login, &u)) == 0) {
            *id = u.id;
            user_clear(&u);
            return 0;
        }
        if (ret != -ENOENT)
            return ret;
    }
    if (slug_make(name, strlen(name), login, sizeof(login)) == 0)
        return -EINVAL;
    if ((ret = db_user_get_by_login(db, login, &u)) == 0) {
        *id = u.id;
        user_clear(&u);
        return 0;
    }
    if (ret != -ENOENT)
        return ret;
    return user_create(db, login, name, NULL, ROLE_AUTHOR, NULL, now, id);
}

static int usage_add(void)
{
    fprintf(stderr,
            "usage: gazette post add --title T [--slug S] [--author NAME] [--category NAME]... "
            "[--tag NAME]... [--date 2026-05-04T09:30:00Z] "
            "[--status published|draft|scheduled|pending|private|trash] [--format markdown|html|html-as-written] "
            "[--type post|page] [--sticky] [--comments open|closed] [--excerpt TEXT] [--file PATH] [--allow-empty]\n"
            "    [--featured MEDIUM_ID]\n");
    return 2;
}

static int post_add(struct cli *cli, int argc, char **argv)
{
    static const struct option opts[] = {{"title", required_argument, NULL, 't'},
                                         {"slug", required_argument, NULL, 's'},
                                         {"author", required_argument, NULL, 'a'},
                                         {"category", required_argument, NULL, 'c'},
                                         {"tag", required_argument, NULL, 'g'},
                                         {"date", required_argument, NULL, 'd'},
                                         {"status", required_argument, NULL, 'S'},
                                         {"format", required_argument, NULL, 'f'},
                                         {"type", required_argument, NULL, 'T'},
                                         {"sticky", no_argument, NULL, 'k'},
                                         {"comments", required_argument, NULL, 'C'},
                                         {"excerpt", required_argument, NULL, 'e'},
                                         {"file", required_argument, NULL, 'F'},
                                         {"allow-empty", no_argument, NULL, 'E'},
                                         {"featured", required_argument, NULL, 'M'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    const char *cats[POST_TERMS_MAX], *tags[POST_TERMS_MAX], *author = DEFAULT_AUTHOR, *file = NULL;
    struct post_new in = {.type = POST_TYPE_POST,
                          .status = POST_PUBLISHED,
                          .format = POST_FORMAT_MARKDOWN,
                          .comments_open = 1,
                          .categories = cats,
                          .tags = tags};
    int64_t now = time_now(), id;
    int c, status_given = 0, date_given = 0, allow_empty = 0;

    optind = 1;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 't':
            in.title = optarg;
            break;
        case 's':
            in.slug = optarg;
            break;
        case 'a':
            author = optarg;
            break;
        case 'c':
            if (in.n_categories == POST_TERMS_MAX)
                return fprintf(stderr, "gazette post add: too many categories (at most %d)\n", POST_TERMS_MAX), 1;
            cats[in.n_categories++] = optarg;
            break;
        case 'g':
            if (in.n_tags == POST_TERMS_MAX)
                return fprintf(stderr, "gazette post add: too many tags (at most %d)\n", POST_TERMS_MAX), 1;
            tags[in.n_tags++] = optarg;
            break;
        case 'd':
            if (time_parse_iso(optarg, strlen(optarg), &in.published_at) < 0) {
                fprintf(stderr, "gazette post add: not a date: %s (want 2026-05-04T09:30:00Z)\n", optarg);
                return 2;
            }
            date_given = 1;
            break;
        case 'S':
            if (post_status_parse(optarg, &in.status) < 0) {
                fprintf(stderr,
                        "gazette post add: unknown status %s (published, draft, scheduled, pending, private or "
                        "trash)\n",
                        optarg);
                return 2;
            }
            status_given = 1;
            break;
        case 'E':
            allow_empty = 1;
            break;
        case 'f':
            if (post_markup_parse(optarg, &in.format, &in.as_written) < 0) {
                fprintf(stderr, "gazette post add: unknown format %s (markdown, html or html-as-written)\n", optarg);
                return 2;
            }
            break;
        case 'T':
            if (post_type_parse(optarg, &in.type) < 0) {
                fprintf(stderr, "gazette post add: unknown type %s (post or page)\n", optarg);
                return 2;
            }
            break;
        case 'k':
            in.sticky = 1;
            break;
        case 'M':
            if ((in.featured_id = cli_parse_id("post add", optarg)) == 0)
                return 2;
            break;
        case 'C':
            if (strcmp(optarg, "open") != 0 && strcmp(optarg, "closed") != 0) {
                fprintf(stderr, "gazette post add: --comments takes open or closed\n");
                return 2;
            }
            in.comments_open = strcmp(optarg, "open") == 0;
            break;
        case 'e':
            in.excerpt = optarg;
            break;
        case 'F':
            file = optarg;
            break;
        default:
            return usage_add();
        }
    }
    if (optind != argc || in.title == NULL || in.title[0] == '\0')
        return usage_add();
    if (strlen(in.title) > POST_TITLE_MAX) {
        fprintf(stderr, "gazette post add: the title is too long (at most %d bytes)\n", POST_TITLE_MAX);
        return 1;
    }
    /* a date to come schedules the post; scheduling needs one */
    if (!status_given && date_given && in.published_at > now)
        in.status = POST_SCHEDULED;
    if (in.status == POST_SCHEDULED && (!date_given || in.published_at <= now)) {
        fprintf(stderr, "gazette post add: --status scheduled needs a --date in the future\n");
        return 2;
    }
    if (in.slug != NULL && in.slug[0] != '\0') {
        char s[SLUG_MAX + 1];
        if (slug_make(in.slug, strlen(in.slug), s, sizeof(s)) == 0)
            return cli_fail("post add", "the slug has no usable characters", 0);
    }

    char *body = NULL;
    if (cli_read_body(cli, file, POST_SOURCE_MAX, &body) < 0)
        return 1;
    size_t blank = strspn(body, " \t\r\n");
    if (body[blank] == '\0' && !allow_empty) {
        fprintf(stderr, "gazette post add: the body is empty (give it on stdin or with --file; --allow-empty "
                        "stores an empty post)\n");
        free(body);
        return 1;
    }
    in.source = body;
    if (in.published_at == 0)
        in.published_at = now;

    struct db *db = cli_open_db(cli);
    int status = 1, ret;
    if (db == NULL)
        goto out;
    if ((ret = db_begin(db)) < 0) {
        cli_fail("post add", db_errmsg(db), ret);
        goto out;
    }
    if ((ret = author_id(db, author, now, &in.author_id)) < 0) {
        db_rollback(db);
        cli_fail("post add", "cannot find or create the author", ret);
        goto out;
    }
    if ((ret = post_create(db, &in, now, &id)) < 0) {
        db_rollback(db);
        cli_fail("post add", ret == -EINVAL ? "invalid post" : db_errmsg(db), ret);
        goto out;
    }
    if ((ret = db_commit(db)) < 0) {
        cli_fail("post add", db_errmsg(db), ret);
        goto out;
    }
    struct post p;
    char path[POST_PATH_MAX];
    if ((ret = db_post_get(db, id, &p)) < 0) {
        cli_fail("post add", "saved, but cannot read it back", ret);
        goto out;
    }
    post_path(&p, path, sizeof(path));
    printf("%lld %s\n", (long long)id, path);
    post_clear(&p);
    status = 0;
out:
    free(body);
    db_close(db);
    return status;
}

static json_t *term_names(struct db *db, int64_t post_id, enum term_taxonomy tax)
{
    json_t *a = json_array();
    struct term_list l;
    if (db_post_terms(db, post_id, tax, &l) == 0) {
        for (size_t i = 0; i < l.n; i++)
            json_array_append_new(a, cli_json_str(l.items[i].name));
        term_list_free(&l);
    }
    return a;
}

/* A post as JSON: what `post list` prints for each, and with its source and HTML for `post show`. */
static json_t *post_json(struct db *db, const struct post *p, const char *path, const char *when)
{
    json_t *o = json_object();
    json_object_set_new(o, "id", json_integer(p->id));
    json_object_set_new(o, "type", json_string(post_type_name(p->type)));
    json_object_set_new(o, "status", json_string(post_status_name(p->status)));
    json_object_set_new(o, "title", cli_json_str(p->title));
    json_object_set_new(o, "slug", cli_json_str(p->slug));
    json_object_set_new(o, "path", cli_json_str(path));
    json_object_set_new(o, "author", cli_json_str(p->author_login));
    json_object_set_new(o, "author_name", cli_json_str(p->author_name));
    json_object_set_new(o, "categories", term_names(db, p->id, TERM_CATEGORY));
    json_object_set_new(o, "tags", term_names(db, p->id, TERM_TAG));
    json_object_set_new(o, "sticky", json_boolean(p->sticky));
    json_object_set_new(o, "comment_status", json_string(p->comments_open ? "open" : "closed"));
    json_object_set_new(o, "format", json_string(post_format_name(p->format)));
    json_object_set_new(o, "markup", json_string(post_markup_name(p->format, p->as_written)));
    json_object_set_new(o, "published_at", json_string(when));
    json_object_set_new(o, "comment_count", json_integer(p->comment_count));
    json_object_set_new(o, "excerpt", cli_json_str(p->excerpt));
    json_object_set_new(o, "version", json_integer(p->version));
    if (p->source != NULL) {
        json_object_set_new(o, "source", cli_json_str(p->source));
        json_object_set_new(o, "html", cli_json_str(p->html));
        json_object_set_new(o, "password", p->password ? cli_json_str(p->password) : json_null());
    }
    return o;
}

/* gazette post show ID: one post as JSON, with its source and rendered HTML. */
static int post_show(struct cli *cli, int argc, char **argv)
{
    if (argc != 2 || argv[1][0] < '0' || argv[1][0] > '9') {
        fprintf(stderr, "usage: gazette post show ID\n");
        return 2;
    }
    char *end;
    long long id = strtoll(argv[1], &end, 10);
    if (*end != '\0' || id <= 0) {
        fprintf(stderr, "usage: gazette post show ID\n");
        return 2;
    }
    struct db *db = cli_open_db(cli);
    struct post p = {0};
    int status = 1, ret;
    if (db == NULL)
        return 1;
    if ((ret = db_post_get(db, id, &p)) < 0) {
        cli_fail("post show", ret == -ENOENT ? "there is no such post" : db_errmsg(db), ret);
        goto out;
    }
    char path[POST_PATH_MAX], when[TIME_ISO_LEN];
    post_path(&p, path, sizeof(path));
    time_format_iso(p.published_at, when);
    json_t *o = post_json(db, &p, path, when);
    char *s = json_dumps(o, JSON_INDENT(2));
    json_decref(o);
    if (s == NULL) {
        cli_fail("post show", "cannot write JSON", -ENOMEM);
        goto out;
    }
    puts(s);
    free(s);
    status = 0;
out:
    post_clear(&p);
    db_close(db);
    return status;
}

static int post_list(struct cli *cli, int argc, char **argv)
{
    static const struct option opts[] = {{"format", required_argument, NULL, 'f'}, {NULL, 0, NULL, 0}};
    int json = 0, c, status = 1, ret;

    optind = 1;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (c == 'f' && (strcmp(optarg, "json") == 0 || strcmp(optarg, "table") == 0)) {
            json = strcmp(optarg, "json") == 0;
        } else {
            fprintf(stderr, "usage: gazette post list [--format=json|table]\n");
            return 2;
        }
    }
    if (optind != argc) {
        fprintf(stderr, "usage: gazette post list [--format=json|table]\n");
        return 2;
    }
    struct db *db = cli_open_db(cli);
    struct post_list l = {0};
    if (db == NULL)
        return 1;
    if ((ret = db_post_list_all(db, &l)) < 0) {
        cli_fail("post list", db_errmsg(db), ret);
        goto out;
    }
    json_t *arr = json ? json_array() : NULL;
    if (!json)
        printf("%-5s %-5s %-10s %-20s %-40s %s\n", "ID", "TYPE", "STATUS", "PUBLISHED", "PATH", "TITLE");
    for (size_t i = 0; i < l.n; i++) {
        struct post *p = &l.items[i];
        char path[POST_PATH_MAX], when[TIME_ISO_LEN];
        post_path(p, path, sizeof(path));
        time_format_iso(p->published_at, when);
        if (!json) {
            printf("%-5lld %-5s %-10s %-20s %-40s %s%s\n", (long long)p->id, post_type_name(p->type),
                   post_status_name(p->status), when, path, p->title, p->sticky ? " [sticky]" : "");
            continue;
        }
        json_t *o = post_json(db, p, path, when);
        json_array_append_new(arr, o);
    }
    if (json) {
        char *s = json_dumps(arr, JSON_INDENT(2));
        json_decref(arr);
        if (s == NULL) {
            cli_fail("post list", "cannot write JSON", -ENOMEM);
            goto out;
        }
        puts(s);
        free(s);
    }
    status = 0;
out:
    post_list_free(&l);
    db_close(db);
    return status;
}

int cli_post(struct cli *cli, int argc, char **argv)
{
    if (argc >= 1 && strcmp(argv[0], "add") == 0)
        return post_add(cli, argc, argv);
    if (argc >= 1 && strcmp(argv[0], "list") == 0)
        return post_list(cli, argc, argv);
    if (argc >= 1 && strcmp(argv[0], "show") == 0)
        return post_show(cli, argc, argv);
    fprintf(stderr, "usage: gazette post add|list|show [OPTIONS]\n");
    return 2;
}
