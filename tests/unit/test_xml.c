#include <criterion/criterion.h>
#include <libxml/parser.h>
#include <string.h>

#include "render/xml.c"

/* Writes <doc> around what fill() writes and returns the document (heap). */
static char *document(void (*fill)(struct xml_writer *x))
{
    struct xml_writer *x = xml_writer_new();
    struct buf out = BUF_INIT;
    cr_assert_not_null(x);
    xml_start(x, "doc");
    fill(x);
    cr_assert_eq(xml_writer_finish(x, &out), 0);
    xml_writer_free(x);
    return buf_steal(&out);
}

/* The document parses as XML 1.0 (libxml2's parser, errors fatal) and its root's text is want. */
static void parses_to(const char *doc, const char *want)
{
    xmlDocPtr d =
        xmlReadMemory(doc, (int)strlen(doc), NULL, "UTF-8", XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOBLANKS);
    cr_assert_not_null(d, "not well-formed: %s", doc);
    xmlChar *text = xmlNodeGetContent(xmlDocGetRootElement(d));
    cr_assert_str_eq((const char *)text, want, "document: %s", doc);
    xmlFree(text);
    xmlFreeDoc(d);
}

Test(xml, cdata_pieces_split_at_the_end_marker)
{
    cr_assert_eq(xml_cdata_piece("abc", 3), 3);
    cr_assert_eq(xml_cdata_piece("", 0), 0);
    cr_assert_eq(xml_cdata_piece("a]]>b", 5), 3); /* "a]]", then ">b" */
    cr_assert_eq(xml_cdata_piece(">b", 2), 2);
    cr_assert_eq(xml_cdata_piece("]]>", 3), 2);
    cr_assert_eq(xml_cdata_piece("]]]>", 4), 3);
    cr_assert_eq(xml_cdata_piece("a]]", 3), 3);  /* no '>' after: whole */
    cr_assert_eq(xml_cdata_piece("a]]>", 3), 3); /* the '>' lies past n */
}

static void fill_cdata(struct xml_writer *x)
{
    const char *html = "<p>x]]>y]]]]>>z</p>]]>";
    xml_cdata(x, html, strlen(html));
}

Test(xml, cdata_keeps_html_whole_even_with_end_markers)
{
    char *doc = document(fill_cdata);
    cr_assert_not_null(strstr(doc, "<![CDATA[<p>x]]]]><![CDATA[>y"), "%s", doc);
    parses_to(doc, "<p>x]]>y]]]]>>z</p>]]>");
    free(doc);
}

static void fill_escaped(struct xml_writer *x)
{
    xml_attr(x, "a", "\"q\" & <t>");
    xml_elem(x, "t", "A & B <c> \"d\" 'e'");
}

Test(xml, text_and_attributes_are_escaped)
{
    char *doc = document(fill_escaped);
    cr_assert_not_null(strstr(doc, "a=\"&quot;q&quot; &amp; &lt;t&gt;\""), "%s", doc);
    cr_assert_not_null(strstr(doc, "<t>A &amp; B &lt;c&gt;"), "%s", doc);
    parses_to(doc, "A & B <c> \"d\" 'e'");
    free(doc);
}

/* NUL-free C0 controls, a C1 control, U+FFFE, a lone surrogate (ED A0 80), a stray byte */
static const char invalid[] = "a\x01"
                              "b\x08"
                              "c\x0b"
                              "d\x1f"
                              "e\xc2\x80"
                              "f\xef\xbf\xbe"
                              "g\xed\xa0\x80"
                              "h\xff"
                              "i\tj\nk";

static void fill_invalid(struct xml_writer *x)
{
    xml_start(x, "t");
    xml_attr(x, "a", invalid);
    xml_text(x, invalid);
    xml_end(x);
    xml_start(x, "h");
    xml_cdata(x, invalid, strlen(invalid));
    xml_end(x);
}

Test(xml, characters_xml_forbids_never_reach_the_output)
{
    char *doc = document(fill_invalid);
    for (const char *p = doc; *p; p++) {
        unsigned char ch = (unsigned char)*p;
        cr_assert(ch >= 0x20 || ch == '\t' || ch == '\n' || ch == '\r', "control 0x%02x in %s", ch, doc);
        cr_assert(ch != 0xff);
    }
    cr_assert_null(strstr(doc, "\xc2\x80"));
    cr_assert_null(strstr(doc, "\xef\xbf\xbe"));
    cr_assert_null(strstr(doc, "&#1;"));
    cr_assert_not_null(strstr(doc, "abcdef"), "%s", doc);
    /* both copies (text and CDATA), each with U+FFFD for the four bad bytes */
    parses_to(doc, "abcdefg\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbdh\xef\xbf\xbdi\tj\nk"
                   "abcdefg\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbdh\xef\xbf\xbdi\tj\nk");
    free(doc);
}

static void fill_nested(struct xml_writer *x)
{
    xml_start(x, "a");
    xml_start(x, "b");
    xml_text(x, "deep");
    /* left open: finish closes them */
}

Test(xml, finish_closes_what_is_open_and_declares_utf8)
{
    char *doc = document(fill_nested);
    cr_assert_eq(strncmp(doc, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", 39), 0, "%s", doc);
    cr_assert_not_null(strstr(doc, "<b>deep</b>\n</a>\n</doc>"), "%s", doc);
    parses_to(doc, "deep");
    free(doc);
}

Test(xml, null_and_empty_strings)
{
    struct xml_writer *x = xml_writer_new();
    struct buf out = BUF_INIT;
    xml_start(x, "doc");
    xml_attr(x, "a", NULL);
    xml_elem(x, "e", NULL);
    xml_start(x, "c");
    xml_cdata(x, "", 0);
    xml_end(x);
    cr_assert_eq(xml_writer_finish(x, &out), 0);
    xml_writer_free(x);
    parses_to(out.data, "");
    cr_assert_not_null(strstr(out.data, "a=\"\""));
    buf_free(&out);
    xml_writer_free(NULL);
}
