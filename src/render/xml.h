/* Writing XML documents (the site's RSS and Atom feeds) through libxml2's xmlTextWriter: every
 * string is made valid XML 1.0 first (invalid UTF-8 becomes U+FFFD, characters XML forbids are
 * dropped) and then escaped by the writer, so no caller text is ever pasted in raw. */
#pragma once

#include <stddef.h>

#include "lib/buf.h"

struct xml_writer;

/* Starts a document with its XML declaration (version 1.0, UTF-8). NULL when out of memory. */
struct xml_writer *xml_writer_new(void);

/* Frees the writer and what it wrote. NULL is fine. */
void xml_writer_free(struct xml_writer *x);

/* Opens an element (a name such as "item" or "dc:creator"; names are the caller's constants). */
void xml_start(struct xml_writer *x, const char *name);

/* Closes the innermost open element. */
void xml_end(struct xml_writer *x);

/* An attribute of the element just opened; value is cleaned and escaped (NULL: empty). */
void xml_attr(struct xml_writer *x, const char *name, const char *value);

/* <name>text</name>, text cleaned and escaped (NULL: an empty element). */
void xml_elem(struct xml_writer *x, const char *name, const char *text);

/* Text inside the element just opened (after its attributes), cleaned and escaped. */
void xml_text(struct xml_writer *x, const char *text);

/* text[0..n) inside the element just opened as CDATA (for HTML content): cleaned, and every "]]>"
 * in it split across two CDATA sections so that it cannot end the section early. */
void xml_cdata(struct xml_writer *x, const char *text, size_t n);

/* Closes the elements still open and appends the document to out. Returns 0, or -ENOMEM when the
 * writer or out failed at any point. The writer is done afterwards (free it). */
int xml_writer_finish(struct xml_writer *x, struct buf *out);

/* The length of the first piece of s[0..n) that may stand in one CDATA section: up to and
 * including the "]]" of the first "]]>", or n when there is none. The next piece starts with
 * the ">". */
size_t xml_cdata_piece(const char *s, size_t n);
