/* Reader comments: the rules a submission goes through, in the order docs/reader-site.md
 * answers them, and the threaded listing. Checks that read the database (duplicate, flood,
 * moderation history) run in the same write transaction as the insert, so two requests at
 * once cannot both slip through. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "news/comment.h"
#include "news/settings.h"

static void add_error(struct comment_result *out, const char *field, const char *message)
{
    if (out->n_errors < COMMENT_MAX_ERRORS) {
        out->errors[out->n_errors].field = field;
        out->errors[out->n_errors].message = message;
        out->n_errors++;
    }
}

static int is_ws(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* The field without surrounding whitespace. */
static struct comment_field trim(struct comment_field f)
{
    if (f.p == NULL)
        f.n = 0;
    while (f.n > 0 && is_ws(f.p[0])) {
        f.p++;
        f.n--;
    }
    while (f.n > 0 && is_ws(f.p[f.n - 1]))
        f.n--;
    return f;
}

/* 1 when the bytes are valid UTF-8 without NUL or other C0 controls but tab and newlines. */
static int clean_text(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    for (size_t i = 0; i < n;) {
        unsigned char c = p[i];
        size_t len;
        if (c < 0x80) {
            if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f)
                return 0;
            i++;
            continue;
        }
        if (c >= 0xC2 && c <= 0xDF)
            len = 2;
        else if (c >= 0xE0 && c <= 0xEF)
            len = 3;
        else if (c >= 0xF0 && c <= 0xF4)
            len = 4;
        else
            return 0;
        if (i + len > n)
            return 0;
        for (size_t k = 1; k < len; k++)
            if ((p[i + k] & 0xC0) != 0x80)
                return 0;
        if (len == 3 && ((c == 0xE0 && p[i + 1] < 0xA0) || (c == 0xED && p[i + 1] >= 0xA0)))
            return 0; /* overlong, or a UTF-16 surrogate */
        if (len == 4 && ((c == 0xF0 && p[i + 1] < 0x90) || (c == 0xF4 && p[i + 1] >= 0x90)))
            return 0;
        i += len;
    }
    return 1;
}

static int alnum(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* A pragmatic address check: local@domain.tld, printable ASCII in the local part, domain labels
 * of letters, digits and inner hyphens, at least two labels, a top level of letters. */
static int email_ok(const char *s, size_t n)
{
    const char *at = memchr(s, '@', n);
    if (n < 6 || at == NULL || at == s || memchr(at + 1, '@', n - (size_t)(at - s) - 1) != NULL)
        return 0;
    for (const char *p = s; p < at; p++)
        if (*p <= ' ' || *p >= 0x7f || strchr("()<>,;:\\\"[]", *p) != NULL)
            return 0;
    const char *d = at + 1, *end = s + n;
    size_t labels = 0, last_len = 0;
    int last_alpha = 1;
    while (d < end) {
        const char *dot = memchr(d, '.', (size_t)(end - d));
        const char *le = dot ? dot : end;
        size_t l = (size_t)(le - d);
        if (l == 0 || l > 63 || d[0] == '-' || d[l - 1] == '-')
            return 0;
        last_alpha = 1;
        for (size_t i = 0; i < l; i++) {
            if (!alnum(d[i]) && d[i] != '-')
                return 0;
            if (!((d[i] >= 'a' && d[i] <= 'z') || (d[i] >= 'A' && d[i] <= 'Z')))
                last_alpha = 0;
        }
        labels++;
        last_len = l;
        if (dot == NULL)
            break;
        d = dot + 1;
        if (d == end)
            return 0; /* a trailing dot */
    }
    return labels >= 2 && last_len >= 2 && last_alpha;
}

/* http:// or https:// (any case), then a host character, and no spaces or control characters. */
static int url_ok(const char *s, size_t n)
{
    size_t skip;
    if (n > 7 && strncasecmp(s, "http://", 7) == 0)
        skip = 7;
    else if (n > 8 && strncasecmp(s, "https://", 8) == 0)
        skip = 8;
    else
        return 0;
    if (!alnum(s[skip]) && s[skip] != '[')
        return 0;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] <= ' ' || s[i] == 0x7f)
            return 0; /* quotes and angle brackets are fine: every output escapes them */
    return 1;
}

size_t comment_validate(const struct comment_submission *in, struct comment_result *out)
{
    struct comment_field body = trim(in->body), author = trim(in->author), email = trim(in->email), url = trim(in->url);
    size_t before = out->n_errors;

    if (body.n == 0)
        add_error(out, "comment", "Please type your comment.");
    else if (body.n > COMMENT_BODY_MAX)
        add_error(out, "comment", "Your comment is too long.");
    else if (!clean_text(body.p, body.n))
        add_error(out, "comment", "Your comment contains characters that are not allowed.");

    if (author.n == 0)
        add_error(out, "author", "Please enter your name.");
    else if (author.n > COMMENT_AUTHOR_MAX)
        add_error(out, "author", "Your name is too long.");
    else if (!clean_text(author.p, author.n) || memchr(author.p, '\n', author.n) != NULL)
        add_error(out, "author", "Your name contains characters that are not allowed.");

    if (email.n == 0)
        add_error(out, "email", "Please enter your email address.");
    else if (email.n > COMMENT_EMAIL_MAX)
        add_error(out, "email", "Your email address is too long.");
    else if (!email_ok(email.p, email.n))
        add_error(out, "email", "Please enter a valid email address.");

    if (url.n > COMMENT_URL_MAX)
        add_error(out, "url", "Your website address is too long.");
    else if (url.n > 0 && !url_ok(url.p, url.n))
        add_error(out, "url", "Please enter a website address starting with http:// or https://.");
    return out->n_errors - before;
}

size_t comment_count_links(const char *s, size_t n)
{
    size_t count = 0;
    for (size_t i = 0; i < n; i++) {
        size_t skip = 0;
        if (n - i >= 7 && strncasecmp(s + i, "http://", 7) == 0)
            skip = 7;
        else if (n - i >= 8 && strncasecmp(s + i, "https://", 8) == 0)
            skip = 8;
        if (skip > 0 || (n - i >= 4 && strncasecmp(s + i, "www.", 4) == 0)) {
            count++;
            if (skip > 0 && n - i - skip >= 4 && strncasecmp(s + i + skip, "www.", 4) == 0)
                skip += 4; /* "http://www.x" is one link */
            i += (skip ? skip : 4) - 1;
        }
    }
    return count;
}

static char *dup_field(struct comment_field f, size_t max)
{
    size_t n = f.n > max ? max : f.n;
    char *p = malloc(n + 1);
    if (p == NULL)
        abort();
    if (n)
        memcpy(p, f.p, n);
    p[n] = '\0';
    return p;
}

/* Moderation: which status a valid, non-duplicate comment gets. */
#define COMMENT_WORD_MAX 200 /* longest word or phrase of a key list that is matched */

int comment_words_match(const char *list, const struct comment *c)
{
    const char *fields[] = {c->author, c->email, c->url, c->body, c->ip};
    char word[COMMENT_WORD_MAX + 1];
    while (list != NULL && *list != '\0') {
        size_t n = strcspn(list, "\r\n");
        const char *w = list;
        size_t k = n;
        while (k > 0 && (*w == ' ' || *w == '\t'))
            w++, k--;
        while (k > 0 && (w[k - 1] == ' ' || w[k - 1] == '\t'))
            k--;
        if (k > 0 && k <= COMMENT_WORD_MAX) {
            memcpy(word, w, k);
            word[k] = '\0';
            for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
                if (fields[i] != NULL && strcasestr(fields[i], word) != NULL)
                    return 1;
        }
        list += n;
        list += strspn(list, "\r\n");
    }
    return 0;
}

int comment_open_at(const struct post *p, int64_t now, int64_t close_days)
{
    return p->comments_open && !(close_days > 0 && now - p->published_at >= close_days * 86400);
}

int comment_open(struct db *db, const struct post *p, int64_t now)
{
    int64_t days = 0;
    if (!p->comments_open)
        return 0;
    if (setting_get_int(db, "comment_close_days", &days) < 0)
        days = 0;
    return comment_open_at(p, now, days);
}

/* The stored value of a word-list setting (heap), NULL when empty or unreadable. */
static char *word_list(struct db *db, const char *key)
{
    char *v = NULL;
    if (setting_get(db, key, &v) < 0)
        return NULL;
    if (v[0] == '\0') {
        free(v);
        return NULL;
    }
    return v;
}

static int moderate(struct db *db, const struct comment_submission *in, const struct comment *c,
                    enum comment_status *out)
{
    int64_t max_links, hold_first;
    int known, ret;

    if (in->force_status >= COMMENT_PENDING && in->force_status <= COMMENT_TRASH) {
        *out = (enum comment_status)in->force_status;
        return 0;
    }
    if (trim(in->honeypot).n > 0) {
        *out = COMMENT_SPAM;
        return 0;
    }
    char *words = word_list(db, "comment_disallowed_keys");
    int hit = words != NULL && comment_words_match(words, c);
    free(words);
    if (hit) {
        *out = COMMENT_SPAM;
        return 0;
    }
    words = word_list(db, "comment_moderation_keys");
    hit = words != NULL && comment_words_match(words, c);
    free(words);
    if (hit) {
        *out = COMMENT_PENDING;
        return 0;
    }
    if ((ret = setting_get_int(db, "comment_max_links", &max_links)) < 0 ||
        (ret = setting_get_int(db, "comment_hold_first", &hold_first)) < 0)
        return ret;
    if ((int64_t)(comment_count_links(c->body, strlen(c->body)) + comment_count_links(c->author, strlen(c->author))) >
        max_links) {
        *out = COMMENT_PENDING;
        return 0;
    }
    if (hold_first) {
        if ((ret = db_comment_author_known(db, c->author, c->email, &known)) < 0)
            return ret;
        if (!known) {
            *out = COMMENT_PENDING;
            return 0;
        }
    }
    *out = COMMENT_APPROVED;
    return 0;
}

int comment_submit(struct db *db, const struct comment_submission *in, struct comment_result *out)
{
    struct post post = {0};
    struct comment c = {0};
    int ret, in_tx = 0;

    memset(out, 0, sizeof(*out));
    ret = in->post_id > 0 ? db_post_get_public(db, in->post_id, in->now, &post) : -ENOENT;
    if (ret == -ENOENT) {
        out->outcome = COMMENT_NOT_FOUND;
        return 0;
    }
    if (ret < 0)
        return ret;
    if (!comment_open(db, &post, in->now)) {
        out->outcome = COMMENT_CLOSED;
        goto done;
    }
    comment_validate(in, out);
    int64_t require = 1;
    if (setting_get_int(db, "comment_require_name_email", &require) == 0 && !require) {
        /* name and email optional: drop only their "required" errors (empty fields) */
        size_t k = 0;
        for (size_t i = 0; i < out->n_errors; i++) {
            const char *f = out->errors[i].field;
            if ((strcmp(f, "author") == 0 && trim(in->author).n == 0) ||
                (strcmp(f, "email") == 0 && trim(in->email).n == 0))
                continue;
            out->errors[k++] = out->errors[i];
        }
        out->n_errors = k;
    }
    if (in->parent_id < 0) {
        add_error(out, "comment_parent", "The comment you replied to does not exist.");
    } else if (in->parent_id > 0) {
        struct comment parent;
        ret = db_comment_get(db, in->parent_id, &parent);
        if (ret < 0 && ret != -ENOENT)
            goto done;
        if (ret == -ENOENT || parent.post_id != in->post_id || parent.status != COMMENT_APPROVED)
            add_error(out, "comment_parent", "The comment you replied to does not exist.");
        if (ret == 0)
            comment_clear(&parent);
        ret = 0;
    }
    if (out->n_errors > 0) {
        out->outcome = COMMENT_INVALID;
        goto done;
    }

    c.post_id = in->post_id;
    c.parent_id = in->parent_id;
    c.type = COMMENT_TYPE_COMMENT;
    c.author = trim(in->author).n ? dup_field(trim(in->author), COMMENT_AUTHOR_MAX) : strdup("Anonymous");
    if (c.author == NULL)
        abort();
    c.email = dup_field(trim(in->email), COMMENT_EMAIL_MAX);
    c.url = dup_field(trim(in->url), COMMENT_URL_MAX);
    c.body = dup_field(trim(in->body), COMMENT_BODY_MAX);
    c.ip = dup_field(trim(in->ip), COMMENT_IP_MAX);
    c.user_agent = dup_field(in->user_agent, COMMENT_AGENT_MAX);
    c.created_at = in->created_at ? in->created_at : in->now;
    c.user_id = in->user_id;

    if ((ret = db_begin(db)) < 0)
        goto done;
    in_tx = 1;
    int dup;
    if ((ret = db_comment_duplicate(db, c.post_id, c.author, c.email, c.body, &dup)) < 0)
        goto done;
    if (dup) {
        out->outcome = COMMENT_DUPLICATE;
        goto done;
    }
    if (c.ip[0] != '\0') {
        int64_t flood, last;
        if ((ret = setting_get_int(db, "comment_flood_seconds", &flood)) < 0)
            goto done;
        ret = flood > 0 ? db_comment_last_from_ip(db, c.ip, &last) : -ENOENT;
        if (ret < 0 && ret != -ENOENT)
            goto done;
        if (ret == 0 && in->now - last < flood) {
            out->outcome = COMMENT_FLOOD;
            ret = 0;
            goto done;
        }
        ret = 0;
    }
    if ((ret = moderate(db, in, &c, &c.status)) < 0 || (ret = db_comment_insert(db, &c)) < 0)
        goto done;
    in_tx = 0;
    if ((ret = db_commit(db)) < 0)
        goto done;
    out->outcome = COMMENT_ACCEPTED;
    out->id = c.id;
    out->status = c.status;
done:
    if (in_tx)
        db_rollback(db);
    post_clear(&post);
    comment_clear(&c);
    return ret;
}

/* The index of each node by its id: open addressing over a power of two at least twice the
 * nodes, linear probing; ids are never 0, which marks a free slot. */
struct id_map {
    int64_t *id;
    size_t *idx;
    size_t mask;
};

static size_t id_slot(const struct id_map *m, int64_t id)
{
    size_t i = (size_t)(((uint64_t)id * 0x9E3779B97F4A7C15ULL) >> 32) & m->mask;
    while (m->id[i] != 0 && m->id[i] != id)
        i = (i + 1) & m->mask;
    return i;
}

/* The node of id, or (size_t)-1. */
static size_t id_find(const struct id_map *m, int64_t id)
{
    if (id == 0 || m->mask == 0)
        return (size_t)-1;
    size_t i = id_slot(m, id);
    return m->id[i] == id ? m->idx[i] : (size_t)-1;
}

/* A post's threads, from the ids and parents of its approved comments (db_comment_nodes) only:
 * the display order (each comment followed by its replies, oldest first at every level), each
 * one's depth, and where each top-level thread starts in that order. */
struct shape {
    struct comment_node *nodes; /* as read: (created_at, id) order */
    size_t n;
    size_t *order; /* order[k]: the node shown k-th */
    int *depth;    /* depth[k] of the k-th shown, from 1 */
    size_t *top;   /* top[t]: where thread t starts in order; top[ntop] = n */
    size_t ntop;
    struct id_map by_id; /* each node's index by its id */
};

static void shape_free(struct shape *s)
{
    free(s->by_id.id);
    free(s->by_id.idx);
    free(s->nodes);
    free(s->order);
    free(s->depth);
    free(s->top);
    memset(s, 0, sizeof(*s));
}

static void *xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size);
    if (p == NULL)
        abort();
    return p;
}

/* Reads and orders the threads of post_id. A reply whose parent is not shown (held, trashed,
 * another post's) starts a thread of its own; comments in a cycle (imported data) come last,
 * each a thread of its own. Depths deeper than max_depth are max_depth. */
static int shape_load(struct db *db, int64_t post_id, int max_depth, struct shape *s)
{
    memset(s, 0, sizeof(*s));
    int ret = db_comment_nodes(db, post_id, &s->nodes, &s->n);
    if (ret < 0)
        return ret;
    size_t n = s->n;
    const size_t none = (size_t)-1;
    if (max_depth < 1)
        max_depth = 1;
    size_t slots = 2;
    while (slots < 2 * n)
        slots *= 2;
    s->by_id = (struct id_map){xcalloc(slots, sizeof(int64_t)), xcalloc(slots, sizeof(size_t)), slots - 1};
    size_t *first = xcalloc(n, sizeof(size_t)), *next = xcalloc(n, sizeof(size_t)), *last = xcalloc(n, sizeof(size_t));
    size_t *stack = xcalloc(n, sizeof(size_t));
    int *depth = xcalloc(n, sizeof(int));
    char *done = xcalloc(n, 1);
    s->order = xcalloc(n, sizeof(size_t));
    s->depth = xcalloc(n, sizeof(int));
    s->top = xcalloc(n + 1, sizeof(size_t));
    for (size_t i = 0; i < n; i++) {
        size_t slot = id_slot(&s->by_id, s->nodes[i].id);
        s->by_id.id[slot] = s->nodes[i].id;
        s->by_id.idx[slot] = i;
        first[i] = next[i] = last[i] = none;
    }
    /* children lists in the order the rows came in; an unknown parent makes a thread */
    size_t root_first = none, root_last = none;
    for (size_t i = 0; i < n; i++) {
        int64_t parent = s->nodes[i].parent_id;
        size_t pn = parent != s->nodes[i].id ? id_find(&s->by_id, parent) : none;
        size_t *head = pn != none ? &first[pn] : &root_first, *tail = pn != none ? &last[pn] : &root_last;
        if (*head == none)
            *head = i;
        else
            next[*tail] = i;
        *tail = i;
    }
    /* depth-first, preorder */
    size_t k = 0, sp = 0;
    for (size_t r = root_first; r != none; r = next[r]) {
        s->top[s->ntop++] = k;
        stack[sp++] = r;
        depth[r] = 1;
        while (sp > 0) {
            size_t i = stack[--sp];
            if (done[i])
                continue;
            done[i] = 1;
            s->order[k] = i;
            s->depth[k] = depth[i] > max_depth ? max_depth : depth[i];
            k++;
            /* push children in reverse so the oldest comes out first */
            size_t cnt = 0;
            for (size_t c = first[i]; c != none; c = next[c])
                cnt++;
            sp += cnt;
            size_t pos = sp;
            for (size_t c = first[i]; c != none; c = next[c]) {
                stack[--pos] = c;
                depth[c] = depth[i] + 1;
            }
        }
    }
    for (size_t i = 0; i < n; i++) { /* cycles from imported data: shown at the top level */
        if (!done[i]) {
            s->top[s->ntop++] = k;
            s->order[k] = i;
            s->depth[k] = 1;
            k++;
        }
    }
    s->top[s->ntop] = k;
    free(first);
    free(next);
    free(last);
    free(stack);
    free(depth);
    free(done);
    return 0;
}

/* The number of pages of a shape, at least 1. */
static size_t shape_pages(const struct shape *s, const struct comment_paging *pg)
{
    if (pg == NULL || !pg->on || pg->per_page == 0 || s->ntop == 0)
        return 1;
    return (s->ntop + pg->per_page - 1) / pg->per_page;
}

size_t comment_default_page(const struct comment_paging *pg, size_t pages)
{
    return pg != NULL && pg->on && pg->newest ? pages : 1;
}

int comment_paging_get(struct db *db, struct comment_paging *out)
{
    int64_t on = 1, per = 50;
    char *which = NULL;
    int ret;
    if ((ret = setting_get_int(db, "page_comments", &on)) < 0 ||
        (ret = setting_get_int(db, "comments_per_page", &per)) < 0 ||
        (ret = setting_get(db, "default_comments_page", &which)) < 0)
        return ret;
    out->on = on != 0;
    out->per_page = per > 0 ? (size_t)per : 1;
    out->newest = strcmp(which, "oldest") != 0;
    free(which);
    return 0;
}

int comment_thread_page(struct db *db, int64_t post_id, int max_depth, const struct comment_paging *pg, size_t page,
                        struct comment_list *out, struct comment_pages *where)
{
    struct shape s;
    struct comment_list got = {0};
    int ret = shape_load(db, post_id, max_depth, &s);
    if (ret < 0)
        return ret;
    size_t pages = shape_pages(&s, pg);
    if (page == 0)
        page = comment_default_page(pg, pages);
    if (page > pages) {
        shape_free(&s);
        return -ENOENT;
    }
    size_t from = 0, to = s.n; /* the page's part of the display order */
    if (pages > 1) {
        size_t t0 = (page - 1) * pg->per_page, t1 = t0 + pg->per_page;
        from = s.top[t0];
        to = s.top[t1 < s.ntop ? t1 : s.ntop];
    }
    int64_t *ids = xcalloc(to - from, sizeof(int64_t));
    for (size_t k = from; k < to; k++)
        ids[k - from] = s.nodes[s.order[k]].id;
    if (to > from && (ret = db_comment_list_ids(db, post_id, ids, to - from, &got)) < 0)
        goto out;
    /* the rows come back in the order asked; one that went away meanwhile is skipped */
    for (size_t k = from, j = 0; k < to && j < got.n; k++) {
        if (got.items[j].id == ids[k - from])
            got.items[j++].depth = s.depth[k];
    }
    *out = got;
    got.items = NULL;
    got.n = 0;
    where->page = page;
    where->pages = pages;
    where->total = s.n;
out:
    comment_list_free(&got);
    free(ids);
    shape_free(&s);
    return ret;
}

int comment_thread(struct db *db, int64_t post_id, int max_depth, struct comment_list *out)
{
    struct comment_pages where;
    return comment_thread_page(db, post_id, max_depth, NULL, 1, out, &where);
}

int comment_pages_of(struct db *db, int64_t post_id, const struct comment_paging *pg, const int64_t *ids, size_t n,
                     size_t *pages_of, size_t *pages)
{
    struct shape s;
    int ret = shape_load(db, post_id, 1, &s);
    if (ret < 0)
        return ret;
    /* each comment's thread, then each id's comment */
    size_t *thread = xcalloc(s.n, sizeof(size_t));
    for (size_t t = 0; t < s.ntop; t++)
        for (size_t k = s.top[t]; k < s.top[t + 1]; k++)
            thread[s.order[k]] = t;
    int paged = pg != NULL && pg->on && pg->per_page > 0;
    for (size_t i = 0; i < n; i++) {
        size_t hit = id_find(&s.by_id, ids[i]);
        pages_of[i] = hit == (size_t)-1 ? 0 : paged ? thread[hit] / pg->per_page + 1 : 1;
    }
    *pages = shape_pages(&s, pg);
    free(thread);
    shape_free(&s);
    return 0;
}

int comment_public_get(struct db *db, int64_t post_id, int64_t id, struct comment *out)
{
    struct comment c;
    int ret = db_comment_get(db, id, &c);
    if (ret < 0)
        return ret;
    if (c.post_id != post_id || c.status != COMMENT_APPROVED) {
        comment_clear(&c);
        return -ENOENT;
    }
    free(c.email);
    free(c.ip);
    free(c.user_agent);
    c.email = c.ip = c.user_agent = NULL;
    *out = c;
    return 0;
}

int comment_recent(struct db *db, int64_t post_id, int64_t now, size_t limit, struct comment_list *out)
{
    return db_comment_list_recent(db, post_id, now, limit > COMMENT_RECENT_MAX ? COMMENT_RECENT_MAX : limit, out);
}

int comment_set_status(struct db *db, int64_t id, enum comment_status status)
{
    return db_comment_set_status(db, id, status);
}
