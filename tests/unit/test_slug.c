#include <criterion/criterion.h>
#include <string.h>

#include "lib/slug.h"

static const char *slug(const char *s)
{
    static char out[SLUG_MAX + 1];
    slug_make(s, strlen(s), out, sizeof(out));
    return out;
}

Test(slug, lowers_and_hyphenates)
{
    cr_assert_str_eq(slug("Hello World"), "hello-world");
    cr_assert_str_eq(slug("  Hello,   World!  "), "hello-world");
    cr_assert_str_eq(slug("City budget 2026: what's new?"), "city-budget-2026-whats-new");
    cr_assert_str_eq(slug("a--b__c"), "a-b-c");
}

Test(slug, transliterates_common_latin_letters)
{
    cr_assert_str_eq(slug("Café crème"), "cafe-creme");
    cr_assert_str_eq(slug("Straße"), "strasse");
    cr_assert_str_eq(slug("Ærø Łódź Øresund"), "aero-lodz-oresund");
    cr_assert_str_eq(slug("Ñandú, Çava, Škoda, Žižek"), "nandu-cava-skoda-zizek");
    cr_assert_str_eq(slug("Þór Œuvre Ĳssel"), "thor-oeuvre-ijssel");
    cr_assert_str_eq(slug("Don’t stop"), "dont-stop");
}

Test(slug, drops_what_it_cannot_spell)
{
    cr_assert_str_eq(slug("日本 news"), "news");
    cr_assert_str_eq(slug("€100 × 2"), "100-2");
    cr_assert_eq(slug_make("!!!", 3, (char[8]){0}, 8), 0);
    cr_assert_str_eq(slug("\xff\xfe bad bytes"), "bad-bytes");
}

Test(slug, respects_the_length_limit_at_a_word_boundary)
{
    char title[1000], out[SLUG_MAX + 1];
    title[0] = '\0';
    for (int i = 0; i < 60; i++)
        strcat(title, "word ");
    size_t n = slug_make(title, strlen(title), out, sizeof(out));
    cr_assert_leq(n, SLUG_MAX);
    cr_assert_eq(n, strlen(out));
    cr_assert_neq(out[n - 1], '-');
    cr_assert_eq(n % 5, 4, "cut inside a word: %s", out);

    char small[6];
    cr_assert_eq(slug_make("abc def", 7, small, sizeof(small)), 3);
    cr_assert_str_eq(small, "abc");
}

Test(slug, reads_only_n_bytes)
{
    char out[16];
    cr_assert_eq(slug_make("abcdef", 3, out, sizeof(out)), 3);
    cr_assert_str_eq(out, "abc");
}

Test(slug, validates)
{
    cr_assert(slug_valid("hello-world", 11));
    cr_assert(slug_valid("a1", 2));
    cr_assert_not(slug_valid("Hello", 5));
    cr_assert_not(slug_valid("-a", 2));
    cr_assert_not(slug_valid("a-", 2));
    cr_assert_not(slug_valid("a--b", 4));
    cr_assert_not(slug_valid("a/b", 3));
    cr_assert_not(slug_valid("", 0));
}
