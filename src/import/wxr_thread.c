/* wxr_parse_file_threaded (see wxr.h): the reader runs on a thread of its own and deep-copies
 * its records into batches; the calling thread takes the batches in turn and hands their
 * records to the callbacks. A batch is an array of records and an arena their strings live in.
 * A ring of RING batches bounds what is in flight: the reader waits when all are full, the
 * caller when all are empty. A comment whose item went in an earlier batch gets a copy of that
 * item in its own batch, so every pointer a callback sees lives in the batch it came in. */
#include "import/wxr.h"

#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>

#define RING 3
#define BATCH_RECORDS 512
#define CHUNK_BYTES ((size_t)256 << 10)

enum rec_kind { REC_CHANNEL, REC_AUTHOR, REC_TERM, REC_ITEM, REC_ITEM_AGAIN, REC_COMMENT };

struct rec {
    enum rec_kind kind;
    size_t item; /* a comment's item: the index of its REC_ITEM or REC_ITEM_AGAIN in the batch */
    union {
        struct wxr_channel ch;
        struct wxr_author au;
        struct wxr_term te;
        struct wxr_item it;
        struct wxr_comment co;
    } u;
};

/* Arena memory: data follows the header, 8-byte aligned. */
struct chunk {
    struct chunk *next;
    size_t cap, len;
};

struct batch {
    struct rec rec[BATCH_RECORDS];
    size_t n;
    size_t bytes;        /* arena bytes taken */
    size_t item;         /* the index of the latest item in this batch, SIZE_MAX when none */
    struct chunk *used;  /* newest first */
    struct chunk *spare; /* CHUNK_BYTES chunks kept from earlier rounds */
    int ready;           /* full: the caller's turn */
};

struct pipe {
    pthread_mutex_t mu;
    pthread_cond_t ready, free;
    struct batch ring[RING];
    size_t fill; /* the reader fills ring[fill % RING] */
    size_t take; /* the caller takes ring[take % RING] */
    int done;    /* the reader has handed over its last batch */
    int stop;    /* the caller gave up: the reader stops at its next hand-over */
    int reader_rc;
    int copy_failed;
    const char *path;
    const struct wxr_handler *user;
    struct wxr_error err;
    struct buf prep;
};

/* ---- batches ------------------------------------------------------------------------------ */

static void batch_reset(struct batch *b)
{
    while (b->used) {
        struct chunk *c = b->used;
        b->used = c->next;
        if (c->cap == CHUNK_BYTES) {
            c->next = b->spare;
            b->spare = c;
        } else {
            free(c);
        }
    }
    b->n = 0;
    b->bytes = 0;
    b->item = SIZE_MAX;
}

static void batch_free(struct batch *b)
{
    batch_reset(b);
    while (b->spare) {
        struct chunk *c = b->spare;
        b->spare = c->next;
        free(c);
    }
}

static void *batch_alloc(struct pipe *p, struct batch *b, size_t n)
{
    n = (n + 7) & ~(size_t)7;
    struct chunk *c = b->used;
    if (c == NULL || c->cap - c->len < n) {
        if (n <= CHUNK_BYTES && b->spare) {
            c = b->spare;
            b->spare = c->next;
        } else {
            size_t cap = n > CHUNK_BYTES ? n : CHUNK_BYTES;
            if ((c = malloc(sizeof(*c) + cap)) == NULL) {
                p->copy_failed = 1;
                return NULL;
            }
            c->cap = cap;
        }
        c->len = 0;
        c->next = b->used;
        b->used = c;
    }
    void *at = (char *)(c + 1) + c->len;
    c->len += n;
    b->bytes += n;
    return at;
}

static const char *copy_mem(struct pipe *p, struct batch *b, const char *s, size_t n)
{
    char *at = batch_alloc(p, b, n + 1);
    if (at == NULL)
        return "";
    memcpy(at, s, n);
    at[n] = '\0';
    return at;
}

static const char *copy_str(struct pipe *p, struct batch *b, const char *s)
{
    return copy_mem(p, b, s, strlen(s));
}

/* ---- the reader's side -------------------------------------------------------------------- */

static struct batch *filling(struct pipe *p)
{
    return &p->ring[p->fill % RING];
}

/* Hands the batch being filled to the caller and waits for the next one to be free. */
static int hand_over(struct pipe *p)
{
    pthread_mutex_lock(&p->mu);
    filling(p)->ready = 1;
    p->fill++;
    pthread_cond_signal(&p->ready);
    while (filling(p)->ready && !p->stop)
        pthread_cond_wait(&p->free, &p->mu);
    int rc = p->stop ? -ECANCELED : 0;
    pthread_mutex_unlock(&p->mu);
    if (rc == 0)
        batch_reset(filling(p));
    return rc;
}

/* Room for k more records in the batch being filled (handing it over when it has none). */
static int room(struct pipe *p, size_t k)
{
    struct batch *b = filling(p);
    if (b->n + k <= BATCH_RECORDS && b->bytes < WXR_BATCH_BYTES)
        return 0;
    return hand_over(p);
}

/* A new record of that kind at the end of the batch being filled; NULL (and *rc) when the
 * batch could not be handed over. */
static struct rec *add(struct pipe *p, enum rec_kind kind, int *rc)
{
    if ((*rc = room(p, 1)) < 0)
        return NULL;
    struct batch *b = filling(p);
    struct rec *r = &b->rec[b->n++];
    r->kind = kind;
    return r;
}

static int copied(struct pipe *p)
{
    return p->copy_failed ? -ENOMEM : 0;
}

static int r_channel(void *ctx, const struct wxr_channel *ch)
{
    struct pipe *p = ctx;
    int rc;
    struct rec *r = add(p, REC_CHANNEL, &rc);
    if (r == NULL)
        return rc;
    struct batch *b = filling(p);
    r->u.ch = (struct wxr_channel){
        .title = copy_str(p, b, ch->title),
        .link = copy_str(p, b, ch->link),
        .description = copy_str(p, b, ch->description),
        .language = copy_str(p, b, ch->language),
        .wxr_version = copy_str(p, b, ch->wxr_version),
        .base_site_url = copy_str(p, b, ch->base_site_url),
        .base_blog_url = copy_str(p, b, ch->base_blog_url),
    };
    return copied(p);
}

static int r_author(void *ctx, const struct wxr_author *a)
{
    struct pipe *p = ctx;
    int rc;
    struct rec *r = add(p, REC_AUTHOR, &rc);
    if (r == NULL)
        return rc;
    struct batch *b = filling(p);
    r->u.au = (struct wxr_author){
        .id = a->id,
        .login = copy_str(p, b, a->login),
        .email = copy_str(p, b, a->email),
        .display_name = copy_str(p, b, a->display_name),
        .first_name = copy_str(p, b, a->first_name),
        .last_name = copy_str(p, b, a->last_name),
    };
    return copied(p);
}

static int r_term(void *ctx, const struct wxr_term *t)
{
    struct pipe *p = ctx;
    int rc;
    struct rec *r = add(p, REC_TERM, &rc);
    if (r == NULL)
        return rc;
    struct batch *b = filling(p);
    r->u.te = (struct wxr_term){
        .kind = t->kind,
        .id = t->id,
        .taxonomy = copy_str(p, b, t->taxonomy),
        .slug = copy_str(p, b, t->slug),
        .name = copy_str(p, b, t->name),
        .description = copy_str(p, b, t->description),
        .parent = copy_str(p, b, t->parent),
    };
    return copied(p);
}

/* Copies an item into the batch being filled (which has room for it); `again` for the copy a
 * comment needs when its item went in an earlier batch (not handed to on_item, not prepared). */
static int copy_item(struct pipe *p, const struct wxr_item *it, int again)
{
    struct batch *b = filling(p);
    struct rec *r = &b->rec[b->n];
    r->kind = again ? REC_ITEM_AGAIN : REC_ITEM;
    struct wxr_item *c = &r->u.it;
    *c = *it;
    c->title = copy_str(p, b, it->title);
    c->link = copy_str(p, b, it->link);
    c->pub_date = copy_str(p, b, it->pub_date);
    c->creator = copy_str(p, b, it->creator);
    c->guid = copy_str(p, b, it->guid);
    c->description = copy_str(p, b, it->description);
    c->content = copy_mem(p, b, it->content, it->content_len);
    c->excerpt = copy_mem(p, b, it->excerpt, it->excerpt_len);
    c->post_date = copy_str(p, b, it->post_date);
    c->post_date_gmt = copy_str(p, b, it->post_date_gmt);
    c->post_modified = copy_str(p, b, it->post_modified);
    c->post_modified_gmt = copy_str(p, b, it->post_modified_gmt);
    c->comment_status = copy_str(p, b, it->comment_status);
    c->ping_status = copy_str(p, b, it->ping_status);
    c->post_name = copy_str(p, b, it->post_name);
    c->status = copy_str(p, b, it->status);
    c->post_type = copy_str(p, b, it->post_type);
    c->post_password = copy_str(p, b, it->post_password);
    c->attachment_url = copy_str(p, b, it->attachment_url);
    c->thumbnail_id = copy_str(p, b, it->thumbnail_id);
    c->attached_file = copy_str(p, b, it->attached_file);
    c->attachment_alt = copy_str(p, b, it->attachment_alt);
    c->terms = NULL;
    if (it->nterms > 0) {
        struct wxr_item_term *v = batch_alloc(p, b, it->nterms * sizeof(*v));
        if (v == NULL)
            return -ENOMEM;
        for (size_t i = 0; i < it->nterms; i++)
            v[i] = (struct wxr_item_term){copy_str(p, b, it->terms[i].domain), copy_str(p, b, it->terms[i].nicename),
                                          copy_str(p, b, it->terms[i].name)};
        c->terms = v;
    }
    c->prepared = NULL;
    c->prepared_len = 0;
    if (!again && p->user->prepare_item) {
        buf_reset(&p->prep);
        int rc = p->user->prepare_item(p->user->ctx, it, &p->prep);
        if (rc < 0)
            return rc;
        if (p->prep.err)
            return p->prep.err;
        c->prepared = copy_mem(p, b, p->prep.data ? p->prep.data : "", p->prep.len);
        c->prepared_len = p->prep.len;
    }
    b->item = b->n++;
    return copied(p);
}

static int r_item(void *ctx, const struct wxr_item *it)
{
    struct pipe *p = ctx;
    int rc = room(p, 1);
    return rc < 0 ? rc : copy_item(p, it, 0);
}

static int r_comment(void *ctx, const struct wxr_item *it, const struct wxr_comment *co)
{
    struct pipe *p = ctx;
    int rc = room(p, 2);
    if (rc < 0)
        return rc;
    struct batch *b = filling(p);
    if (b->item == SIZE_MAX && (rc = copy_item(p, it, 1)) < 0)
        return rc;
    struct rec *r = &b->rec[b->n++];
    r->kind = REC_COMMENT;
    r->item = b->item;
    r->u.co = (struct wxr_comment){
        .id = co->id,
        .parent = co->parent,
        .user_id = co->user_id,
        .author = copy_str(p, b, co->author),
        .author_email = copy_str(p, b, co->author_email),
        .author_url = copy_str(p, b, co->author_url),
        .author_ip = copy_str(p, b, co->author_ip),
        .date = copy_str(p, b, co->date),
        .date_gmt = copy_str(p, b, co->date_gmt),
        .content = copy_str(p, b, co->content),
        .approved = copy_str(p, b, co->approved),
        .type = copy_str(p, b, co->type),
    };
    return copied(p);
}

static void *reader_main(void *arg)
{
    struct pipe *p = arg;
    struct wxr_handler h = {p, r_channel, r_author, r_term, r_item, r_comment, NULL};
    int rc = wxr_parse_file(p->path, &h, &p->err);
    pthread_mutex_lock(&p->mu);
    if (filling(p)->n > 0) {
        filling(p)->ready = 1;
        p->fill++;
    }
    p->reader_rc = rc;
    p->done = 1;
    pthread_cond_signal(&p->ready);
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

/* ---- the caller's side -------------------------------------------------------------------- */

static int deliver(const struct wxr_handler *h, const struct batch *b, const struct rec *r)
{
    switch (r->kind) {
    case REC_CHANNEL:
        return h->on_channel ? h->on_channel(h->ctx, &r->u.ch) : 0;
    case REC_AUTHOR:
        return h->on_author ? h->on_author(h->ctx, &r->u.au) : 0;
    case REC_TERM:
        return h->on_term ? h->on_term(h->ctx, &r->u.te) : 0;
    case REC_ITEM:
        return h->on_item ? h->on_item(h->ctx, &r->u.it) : 0;
    case REC_COMMENT:
        return h->on_comment ? h->on_comment(h->ctx, &b->rec[r->item].u.it, &r->u.co) : 0;
    default:
        return 0;
    }
}

int wxr_parse_file_threaded(const char *path, const struct wxr_handler *h, struct wxr_error *err)
{
    static const struct wxr_handler none = {0};
    struct pipe *p = calloc(1, sizeof(*p));
    if (p == NULL)
        return -ENOMEM;
    p->path = path;
    p->user = h ? h : &none;
    for (int i = 0; i < RING; i++)
        p->ring[i].item = SIZE_MAX;
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->ready, NULL);
    pthread_cond_init(&p->free, NULL);
    xmlInitParser(); /* libxml2 sets itself up on the main thread, before another uses it */

    pthread_t reader;
    int rc = -pthread_create(&reader, NULL, reader_main, p);
    if (rc < 0) {
        if (err) {
            *err = (struct wxr_error){0};
            snprintf(err->message, sizeof(err->message), "cannot start the reading thread");
        }
        goto out;
    }
    for (;;) {
        pthread_mutex_lock(&p->mu);
        struct batch *b = &p->ring[p->take % RING];
        while (!b->ready && !p->done)
            pthread_cond_wait(&p->ready, &p->mu);
        int got = b->ready;
        pthread_mutex_unlock(&p->mu);
        if (!got)
            break; /* the reader is done and every batch taken */
        for (size_t i = 0; i < b->n && rc == 0; i++)
            rc = deliver(p->user, b, &b->rec[i]);
        pthread_mutex_lock(&p->mu);
        b->ready = 0;
        p->take++;
        p->stop = rc < 0;
        pthread_cond_signal(&p->free);
        pthread_mutex_unlock(&p->mu);
        if (rc < 0)
            break;
    }
    pthread_join(reader, NULL);
    if (rc == 0) {
        rc = p->reader_rc;
        if (err)
            *err = p->err;
    }
out:
    for (int i = 0; i < RING; i++)
        batch_free(&p->ring[i]);
    buf_free(&p->prep);
    pthread_cond_destroy(&p->ready);
    pthread_cond_destroy(&p->free);
    pthread_mutex_destroy(&p->mu);
    free(p);
    return rc;
}
