/* XML output for the feeds: a thin layer over libxml2's xmlTextWriter that cleans every string
 * (html_clean: valid UTF-8, no control characters) before the writer escapes it, and splits
 * CDATA sections at "]]>". Errors are sticky: the caller checks once, at xml_writer_finish. */
#include "render/xml.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/xmlwriter.h>

#include "render/html.h"

struct xml_writer {
    xmlBufferPtr xb;
    xmlTextWriterPtr w;
    struct buf tmp; /* the cleaned copy of the string being written */
    int err;
};

/* A cleaned, NUL-terminated copy of s[0..n) in x->tmp (valid until the next call). */
static const xmlChar *clean(struct xml_writer *x, const char *s, size_t n)
{
    buf_reset(&x->tmp);
    html_clean(&x->tmp, s ? s : "", s ? n : 0);
    if (x->tmp.err != 0 || buf_putc(&x->tmp, '\0') != 0) {
        x->err = -ENOMEM;
        return BAD_CAST "";
    }
    return BAD_CAST x->tmp.data;
}

static void check(struct xml_writer *x, int rc)
{
    if (rc < 0 && x->err == 0)
        x->err = -ENOMEM;
}

struct xml_writer *xml_writer_new(void)
{
    struct xml_writer *x = calloc(1, sizeof(*x));
    if (x == NULL)
        return NULL;
    x->xb = xmlBufferCreate();
    if (x->xb != NULL)
        x->w = xmlNewTextWriterMemory(x->xb, 0);
    if (x->w == NULL) {
        xml_writer_free(x);
        return NULL;
    }
    xmlTextWriterSetIndent(x->w, 1);
    xmlTextWriterSetIndentString(x->w, BAD_CAST "");
    check(x, xmlTextWriterStartDocument(x->w, "1.0", "UTF-8", NULL));
    return x;
}

void xml_writer_free(struct xml_writer *x)
{
    if (x == NULL)
        return;
    if (x->w != NULL)
        xmlFreeTextWriter(x->w);
    if (x->xb != NULL)
        xmlBufferFree(x->xb);
    buf_free(&x->tmp);
    free(x);
}

void xml_start(struct xml_writer *x, const char *name)
{
    check(x, xmlTextWriterStartElement(x->w, BAD_CAST name));
}

void xml_end(struct xml_writer *x)
{
    check(x, xmlTextWriterEndElement(x->w));
}

void xml_attr(struct xml_writer *x, const char *name, const char *value)
{
    const xmlChar *v = clean(x, value, value ? strlen(value) : 0);
    check(x, xmlTextWriterWriteAttribute(x->w, BAD_CAST name, v));
}

void xml_elem(struct xml_writer *x, const char *name, const char *text)
{
    const xmlChar *v = clean(x, text, text ? strlen(text) : 0);
    check(x, xmlTextWriterWriteElement(x->w, BAD_CAST name, v));
}

size_t xml_cdata_piece(const char *s, size_t n)
{
    for (size_t i = 0; i + 2 < n; i++)
        if (s[i] == ']' && s[i + 1] == ']' && s[i + 2] == '>')
            return i + 2;
    return n;
}

void xml_text(struct xml_writer *x, const char *text)
{
    const xmlChar *v = clean(x, text, text ? strlen(text) : 0);
    check(x, xmlTextWriterWriteString(x->w, v));
}

void xml_cdata(struct xml_writer *x, const char *text, size_t n)
{
    clean(x, text, n);
    const char *s = x->tmp.data ? x->tmp.data : "";
    size_t len = x->tmp.len > 0 ? x->tmp.len - 1 : 0; /* without the NUL clean() added */
    size_t at = 0;
    while (at < len) {
        size_t piece = xml_cdata_piece(s + at, len - at);
        check(x, xmlTextWriterStartCDATA(x->w));
        check(x, xmlTextWriterWriteRawLen(x->w, BAD_CAST(s + at), (int)piece));
        check(x, xmlTextWriterEndCDATA(x->w));
        at += piece;
    }
}

int xml_writer_finish(struct xml_writer *x, struct buf *out)
{
    check(x, xmlTextWriterEndDocument(x->w));
    check(x, xmlTextWriterFlush(x->w));
    if (x->err != 0)
        return x->err;
    if (buf_append(out, xmlBufferContent(x->xb), (size_t)xmlBufferLength(x->xb)) != 0)
        return -ENOMEM;
    return 0;
}
