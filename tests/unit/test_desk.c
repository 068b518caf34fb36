/* Managing the site from the newsroom (news/): the settings table, accounts, categories and tags,
 * and the header menu. */
#include <criterion/criterion.h>
#include <errno.h>
#include <string.h>

#include "db/newsroom.h"
#include "news/menu.h"
#include "news/post.h"
#include "news/session.h"
#include "news/settings.h"
#include "news/taxonomy.h"
#include "news/user.h"
#include "tmpdata.h"

TestSuite(desk, .fini = tmpdata_remove);

#define NOW 1777887000

static const struct user boss = {.id = 1, .role = ROLE_ADMINISTRATOR};
static const struct user ed = {.id = 2, .role = ROLE_EDITOR};
static const struct user ann = {.id = 3, .role = ROLE_AUTHOR};

static struct db *site(void)
{
    struct db *db = tmpdata_open();
    int64_t id;
    cr_assert_eq(user_create(db, "boss", "The Boss", NULL, ROLE_ADMINISTRATOR, "boss-password", NOW, &id), 0);
    cr_assert_eq(id, 1);
    cr_assert_eq(user_create(db, "ed", "Ed Itor", NULL, ROLE_EDITOR, "ed-password", NOW, &id), 0);
    cr_assert_eq(user_create(db, "ann", "Ann Author", NULL, ROLE_AUTHOR, "ann-password", NOW, &id), 0);
    return db;
}

static int64_t add_post(struct db *db, const char *title, const char *const *cats, size_t nc, const char *const *tags,
                        size_t nt, int64_t author)
{
    struct post_new in = {.type = POST_TYPE_POST,
                          .status = POST_PUBLISHED,
                          .title = title,
                          .author_id = author,
                          .source = "Body.",
                          .comments_open = 1,
                          .categories = cats,
                          .n_categories = nc,
                          .tags = tags,
                          .n_tags = nt,
                          .published_at = NOW - 3600};
    int64_t id;
    cr_assert_eq(post_create(db, &in, NOW, &id), 0);
    return id;
}

/* The names of a post's terms of one taxonomy, joined by commas. */
static void names(struct db *db, int64_t post, enum term_taxonomy tax, char *out, size_t cap)
{
    struct term_list l = {0};
    size_t k = 0;
    out[0] = '\0';
    cr_assert_eq(post_terms(db, post, tax, &l), 0);
    for (size_t i = 0; i < l.n; i++)
        k += (size_t)snprintf(out + k, cap - k, "%s%s", i ? "," : "", l.items[i].name);
    term_list_free(&l);
}

Test(desk, every_setting_is_declared_once_with_a_section_help_and_a_valid_default)
{
    struct db *db = tmpdata_open();
    size_t n;
    const struct setting_def *d = settings_known(&n);
    cr_assert_gt(n, 20);
    for (size_t i = 0; i < n; i++) {
        for (size_t k = i + 1; k < n; k++)
            cr_assert_str_neq(d[i].key, d[k].key, "declared twice");
        cr_assert(d[i].label && d[i].label[0] && d[i].help && d[i].help[0], "%s has a label and help", d[i].key);
        cr_assert_lt((int)d[i].section, SETTINGS_SECTIONS);
        if (d[i].computed == NULL)
            cr_assert_eq(setting_check(db, d[i].key, d[i].def, NULL, 0), 0, "the default of %s is allowed", d[i].key);
        cr_assert_eq(setting_find(d[i].key), &d[i]);
    }
    db_close(db);
}

Test(desk, a_refused_value_says_what_is_allowed)
{
    struct db *db = tmpdata_open();
    char why[SETTING_WHY_MAX];
    cr_assert_eq(setting_check(db, "posts_per_page", "0", why, sizeof(why)), -EINVAL);
    cr_assert_str_eq(why, "Enter a whole number from 1 to 1000.");
    cr_assert_eq(setting_check(db, "default_comments_page", "middle", why, sizeof(why)), -EINVAL);
    cr_assert_str_eq(why, "Enter one of: newest, oldest.");
    cr_assert_eq(setting_check(db, "page_comments", "yes", why, sizeof(why)), -EINVAL);
    cr_assert_str_eq(why, "Enter 1 (on) or 0 (off).");
    cr_assert_eq(setting_check(db, "site_url", "ftp://x", why, sizeof(why)), -EINVAL);
    cr_assert(strstr(why, "http://") != NULL);
    cr_assert_eq(setting_check(db, "default_category", "999", why, sizeof(why)), -EINVAL);
    cr_assert_eq(setting_check(db, "no_such", "1", why, sizeof(why)), -ENOENT);
    /* all or nothing */
    const char *keys[] = {"site_title", "posts_per_page"}, *bad[] = {"New title", "many"}, *good[] = {"New", "7"};
    char whys[2][SETTING_WHY_MAX];
    cr_assert_eq(settings_save(db, keys, bad, 2, NULL, whys), -EINVAL);
    cr_assert_str_eq(whys[0], "");
    cr_assert_str_neq(whys[1], "");
    char *v = NULL;
    cr_assert_eq(setting_get(db, "site_title", &v), 0);
    cr_assert_str_eq(v, "Gazette", "nothing saved");
    free(v);
    cr_assert_eq(settings_save(db, keys, good, 2, NULL, whys), 0);
    int64_t per = 0;
    cr_assert_eq(setting_get_int(db, "posts_per_page", &per), 0);
    cr_assert_eq(per, 7);
    db_close(db);
}

Test(desk, site_url_follows_the_server_until_set)
{
    struct db *db = tmpdata_open();
    char *v = NULL;
    int set = -1;
    cr_assert_eq(settings_listening(db, "http://127.0.0.1:9123"), 0);
    cr_assert_eq(setting_get(db, "site_url", &v), 0);
    cr_assert_str_eq(v, "http://127.0.0.1:9123");
    free(v);
    cr_assert_eq(setting_is_set(db, "site_url", &set), 0);
    cr_assert_eq(set, 0);
    cr_assert_eq(setting_set(db, "site_url", "https://news.example"), 0);
    cr_assert_eq(settings_listening(db, "http://127.0.0.1:9124"), 0);
    cr_assert_eq(setting_get(db, "site_url", &v), 0);
    cr_assert_str_eq(v, "https://news.example", "the owner's choice wins");
    free(v);
    cr_assert_eq(setting_set(db, "site_url", ""), 0, "empty: follow the server again");
    cr_assert_eq(setting_get(db, "site_url", &v), 0);
    cr_assert_str_eq(v, "http://127.0.0.1:9124");
    free(v);
    db_close(db);
}

Test(desk, accounts_are_managed_by_administrators_and_one_always_stays)
{
    struct db *db = site();
    const char *why = NULL;
    int64_t id = 0;
    char hash[USER_HASH_MAX];
    cr_assert_eq(user_password_hash("new-person-pw", hash), 0);
    struct user_new in = {.login = "Nina", .display_name = "Nina New", .role = ROLE_AUTHOR, .pwhash = hash};
    cr_assert_eq(user_add(db, &ed, &in, NOW, &id, &why), -EACCES, "an editor may not");
    cr_assert_eq(user_add(db, &boss, &in, NOW, &id, &why), 0);
    cr_assert_eq(user_verify(db, "nina", "new-person-pw", 13, NULL), 0, "the login is lowered, the hash kept");
    cr_assert_eq(user_add(db, &boss, &in, NOW, &id, &why), -EEXIST);
    cr_assert_not_null(user_password_refusal("short"));
    cr_assert_null(user_password_refusal("long enough"));

    struct user_change ch = {.display_name = "Nina N.", .bio = "Writes about boats.", .role = -1, .disabled = -1};
    struct user me = {.id = id, .role = ROLE_AUTHOR};
    cr_assert_eq(user_change(db, &me, id, &ch, &why), 0, "anyone their own profile");
    cr_assert_eq(user_change(db, &me, 2, &ch, &why), -EACCES, "not another's");
    ch.role = ROLE_ADMINISTRATOR;
    cr_assert_eq(user_change(db, &me, id, &ch, &why), -EACCES, "not one's own role");
    struct user u = {0};
    cr_assert_eq(user_get(db, id, &u), 0);
    cr_assert_str_eq(u.bio, "Writes about boats.");
    user_clear(&u);

    /* the last active administrator stays one */
    struct user_change demote = {.role = ROLE_EDITOR, .disabled = -1};
    cr_assert_eq(user_change(db, &boss, 1, &demote, &why), -EBUSY);
    struct user_change off = {.role = -1, .disabled = 1};
    cr_assert_eq(user_change(db, &boss, 1, &off, &why), -EBUSY);
    cr_assert_eq(user_remove(db, &boss, 1, 2, &why), -EACCES, "not oneself");

    /* disabling ends sessions and stops logins */
    char cookie[SESSION_COOKIE_LEN + 1];
    cr_assert_eq(session_create(db, 3, NOW, 3600, cookie), 0);
    cr_assert_eq(user_change(db, &boss, 3, &off, &why), 0);
    cr_assert_eq(session_user(db, cookie, SESSION_COOKIE_LEN, NOW + 1, &u), -ENOENT);
    cr_assert_eq(user_verify(db, "ann", "ann-password", 12, NULL), -EACCES);

    /* a password reset ends the sessions; one's own change keeps the current one */
    char a1[SESSION_COOKIE_LEN + 1], a2[SESSION_COOKIE_LEN + 1];
    cr_assert_eq(session_create(db, 2, NOW, 3600, a1), 0);
    cr_assert_eq(session_create(db, 2, NOW, 3600, a2), 0);
    cr_assert_eq(user_password_set(db, &ed, 2, hash, a1, SESSION_COOKIE_LEN, &why), 0);
    cr_assert_eq(session_user(db, a1, SESSION_COOKIE_LEN, NOW + 1, &u), 0);
    user_clear(&u);
    cr_assert_eq(session_user(db, a2, SESSION_COOKIE_LEN, NOW + 1, &u), -ENOENT);
    cr_assert_eq(user_password_set(db, &boss, 2, hash, NULL, 0, &why), 0);
    cr_assert_eq(session_user(db, a1, SESSION_COOKIE_LEN, NOW + 1, &u), -ENOENT);

    /* deleting gives the posts to another account */
    int64_t post = add_post(db, "By Ed", NULL, 0, NULL, 0, 2);
    cr_assert_eq(user_remove(db, &boss, 2, 2, &why), -EINVAL);
    cr_assert_eq(user_remove(db, &boss, 2, 999, &why), -EINVAL);
    cr_assert_eq(user_remove(db, &boss, 2, id, &why), 0);
    struct post p = {0};
    cr_assert_eq(db_post_get(db, post, &p), 0);
    cr_assert_eq(p.author_id, id);
    post_clear(&p);
    cr_assert_eq(user_get(db, 2, &u), -ENOENT);
    db_close(db);
}

Test(desk, terms_are_renamed_with_a_redirect_merged_and_deleted)
{
    struct db *db = site();
    const char *why = NULL;
    int64_t world = 0, news = 0, kid = 0;
    struct term_edit in = {.name = "World"};
    cr_assert_eq(term_add(db, &ann, TERM_CATEGORY, &in, &world, &why), -EACCES, "authors may not");
    cr_assert_eq(term_add(db, &ed, TERM_CATEGORY, &in, &world, &why), 0);
    in = (struct term_edit){.name = "News", .slug = "latest-news"};
    cr_assert_eq(term_add(db, &ed, TERM_CATEGORY, &in, &news, &why), 0);
    in = (struct term_edit){.name = "Europe", .parent_id = world};
    cr_assert_eq(term_add(db, &ed, TERM_CATEGORY, &in, &kid, &why), 0);
    in = (struct term_edit){.name = "Bad", .slug = "Not A Slug"};
    int64_t x;
    cr_assert_eq(term_add(db, &ed, TERM_CATEGORY, &in, &x, &why), -EINVAL);
    in = (struct term_edit){.name = "Dup", .slug = "world"};
    cr_assert_eq(term_add(db, &ed, TERM_CATEGORY, &in, &x, &why), -EEXIST);

    /* a slug made from the name follows a rename, and the old one leads to the new */
    in = (struct term_edit){.name = "Global", .slug = "world", .parent_id = 0};
    cr_assert_eq(term_change(db, &ed, world, &in, &why), 0);
    char *slug = NULL;
    cr_assert_eq(term_moved(db, TERM_CATEGORY, "world", 5, &slug), 0);
    cr_assert_str_eq(slug, "global");
    free(slug);
    /* a slug set by hand stays when only the name changes */
    in = (struct term_edit){.name = "Headlines", .slug = "latest-news"};
    cr_assert_eq(term_change(db, &ed, news, &in, &why), 0);
    struct term t = {0};
    cr_assert_eq(term_get(db, news, &t), 0);
    cr_assert_str_eq(t.slug, "latest-news");
    term_clear(&t);
    /* no cycles */
    in = (struct term_edit){.name = "Global", .slug = "global", .parent_id = kid};
    cr_assert_eq(term_change(db, &ed, world, &in, &why), -EINVAL);

    /* merge: the posts of one get the other, the address follows */
    const char *c1[] = {"Global"}, *c2[] = {"Headlines"}, *both[] = {"Global", "Headlines"};
    int64_t p1 = add_post(db, "One", c1, 1, NULL, 0, 1), p2 = add_post(db, "Two", both, 2, NULL, 0, 1);
    cr_assert_eq(term_merge(db, &ed, world, news, &why), 0);
    char got[200];
    names(db, p1, TERM_CATEGORY, got, sizeof(got));
    cr_assert_str_eq(got, "Headlines");
    names(db, p2, TERM_CATEGORY, got, sizeof(got));
    cr_assert_str_eq(got, "Headlines");
    cr_assert_eq(term_moved(db, TERM_CATEGORY, "world", 5, &slug), 0, "the oldest address too");
    cr_assert_str_eq(slug, "latest-news");
    free(slug);
    cr_assert_eq(term_get(db, kid, &t), 0);
    cr_assert_eq(t.parent_id, news, "sub-categories move to the one merged into");
    term_clear(&t);

    /* delete: a post left without a category gets the default one, others keep theirs */
    const char *tags[] = {"boats"}, *cats[] = {"Europe", "Headlines"};
    int64_t p3 = add_post(db, "Three", c2, 1, tags, 1, 1), p4 = add_post(db, "Four", cats, 2, NULL, 0, 1);
    cr_assert_eq(term_remove(db, &ed, news, &why), 0);
    names(db, p3, TERM_CATEGORY, got, sizeof(got));
    cr_assert_str_eq(got, TERM_DEFAULT_NAME);
    names(db, p3, TERM_TAG, got, sizeof(got));
    cr_assert_str_eq(got, "boats", "its tags stay");
    names(db, p4, TERM_CATEGORY, got, sizeof(got));
    cr_assert_str_eq(got, "Europe");
    int64_t def = 0;
    cr_assert_eq(term_default_category(db, &def), 0);
    cr_assert_eq(term_remove(db, &ed, def, &why), -EBUSY, "the default category stays");
    db_close(db);
}

Test(desk, the_menu_starts_as_home_and_categories_and_is_arranged)
{
    struct db *db = site();
    const char *why = NULL;
    const char *c1[] = {"World"}, *c2[] = {"Sport"};
    add_post(db, "One", c1, 1, NULL, 0, 1);
    add_post(db, "Two", c2, 1, NULL, 0, 1);
    struct post_new page = {.type = POST_TYPE_PAGE,
                            .status = POST_PUBLISHED,
                            .title = "About",
                            .author_id = 1,
                            .source = "About us.",
                            .published_at = NOW - 60};
    int64_t about;
    cr_assert_eq(post_create(db, &page, NOW, &about), 0);

    struct menu m = {0};
    cr_assert_eq(menu_read(db, NOW, &m), 0);
    cr_assert_eq(m.arranged, 0);
    cr_assert_eq(m.n, 3);
    cr_assert_str_eq(m.items[0].label, "Home");
    cr_assert_str_eq(m.items[1].path, "/category/sport/");
    menu_free(&m);

    struct menu_action add = {.op = MENU_OP_ADD, .kind = MENU_PAGE, .object_id = about};
    cr_assert_eq(menu_act(db, &ann, &add, NOW, &why), -EACCES);
    cr_assert_eq(menu_act(db, &ed, &add, NOW, &why), 0);
    struct menu_action link = {.op = MENU_OP_ADD, .kind = MENU_CUSTOM, .label = "Shop", .url = "javascript:alert(1)"};
    cr_assert_eq(menu_act(db, &ed, &link, NOW, &why), -EINVAL, "only safe addresses");
    link.url = "https://shop.example/";
    cr_assert_eq(menu_act(db, &ed, &link, NOW, &why), 0);
    cr_assert_eq(menu_read(db, NOW, &m), 0);
    cr_assert_eq(m.arranged, 1);
    cr_assert_eq(m.n, 5);
    cr_assert_str_eq(m.items[3].label, "About");
    cr_assert_str_eq(m.items[3].path, "/about/");
    int64_t shop = m.items[4].id, sport = m.items[1].id, home = m.items[0].id;
    menu_free(&m);

    /* Shop under Sport, then first among the top level: World up */
    struct menu_action under = {
        .op = MENU_OP_SAVE, .item = shop, .label = "Shop", .url = "https://shop.example/", .parent_id = sport};
    cr_assert_eq(menu_act(db, &ed, &under, NOW, &why), 0);
    struct menu_action nested = {.op = MENU_OP_SAVE, .item = sport, .label = "", .parent_id = home};
    cr_assert_eq(menu_act(db, &ed, &nested, NOW, &why), -EINVAL, "one level of sub-items");
    cr_assert_eq(menu_read(db, NOW, &m), 0);
    cr_assert_str_eq(m.items[1].label, "Sport");
    cr_assert_str_eq(m.items[2].label, "Shop");
    cr_assert_eq(m.items[2].parent_id, sport);
    cr_assert_str_eq(m.items[3].label, "World");
    int64_t world = m.items[3].id;
    menu_free(&m);
    struct menu_action up = {.op = MENU_OP_UP, .item = world};
    cr_assert_eq(menu_act(db, &ed, &up, NOW, &why), 0);
    cr_assert_eq(menu_read(db, NOW, &m), 0);
    cr_assert_str_eq(m.items[1].label, "World");
    cr_assert_str_eq(m.items[2].label, "Sport");
    cr_assert_str_eq(m.items[3].label, "Shop", "the sub-item moves with its item");
    int64_t world_term = m.items[1].object_id;
    menu_free(&m);

    /* a category that goes keeps its item, which readers no longer see */
    cr_assert_eq(term_remove(db, &ed, world_term, &why), 0);
    cr_assert_eq(menu_read(db, NOW, &m), 0);
    cr_assert_eq(m.items[1].id, world);
    cr_assert_eq(m.items[1].shown, 0);
    cr_assert_eq(m.items[2].shown, 1);
    menu_free(&m);

    struct menu_action reset = {.op = MENU_OP_RESET};
    cr_assert_eq(menu_act(db, &ed, &reset, NOW, &why), 0);
    cr_assert_eq(menu_read(db, NOW, &m), 0);
    cr_assert_eq(m.arranged, 0);
    menu_free(&m);
    db_close(db);
}
