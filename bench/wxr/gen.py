#!/usr/bin/env python3
"""Writes a WordPress export (WXR 1.2) of POSTS posts with COMMENTS comments each (threaded:
every third comment replies to the one before), 20 categories and 200 tags, to standard output.

usage: gen.py [POSTS] [COMMENTS_PER_POST] [LONG_THREAD]     (defaults: 100000 5 0)
LONG_THREAD > 0 gives the first post that many comments instead (a long thread, for paging).
The text is ordinary blog prose with paragraphs, a link and a [caption], so wpautop has work.
"""
import sys

posts = int(sys.argv[1]) if len(sys.argv) > 1 else 100000
per = int(sys.argv[2]) if len(sys.argv) > 2 else 5
long_thread = int(sys.argv[3]) if len(sys.argv) > 3 else 0
out = sys.stdout
w = out.write

w('<?xml version="1.0" encoding="UTF-8" ?>\n<rss version="2.0" '
  'xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" '
  'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
  'xmlns:wfw="http://wellformedweb.org/CommentAPI/" xmlns:dc="http://purl.org/dc/elements/1.1/" '
  'xmlns:wp="http://wordpress.org/export/1.2/">\n<channel>\n<title>Bench</title>\n'
  '<link>https://bench.example</link>\n<wp:wxr_version>1.2</wp:wxr_version>\n'
  '<wp:base_site_url>https://bench.example</wp:base_site_url>\n'
  '<wp:base_blog_url>https://bench.example</wp:base_blog_url>\n')
for a in range(3):
    w('<wp:author><wp:author_id>%d</wp:author_id><wp:author_login><![CDATA[writer%d]]></wp:author_login>'
      '<wp:author_email><![CDATA[writer%d@example.com]]></wp:author_email>'
      '<wp:author_display_name><![CDATA[Writer %d]]></wp:author_display_name></wp:author>\n' % (a + 1, a, a, a))
for c in range(20):
    w('<wp:category><wp:term_id>%d</wp:term_id><wp:category_nicename><![CDATA[section-%d]]></wp:category_nicename>'
      '<wp:category_parent><![CDATA[%s]]></wp:category_parent><wp:cat_name><![CDATA[Section %d]]></wp:cat_name>'
      '</wp:category>\n' % (c + 1, c, 'section-%d' % (c - 10) if c >= 10 else '', c))
for t in range(200):
    w('<wp:tag><wp:term_id>%d</wp:term_id><wp:tag_slug><![CDATA[topic-%d]]></wp:tag_slug>'
      '<wp:tag_name><![CDATA[Topic %d]]></wp:tag_name></wp:tag>\n' % (1000 + t, t, t))

BODY = ('The council met on Tuesday evening to discuss the new budget, and residents filled the hall.\n'
        'Several of them asked about the library hours.\n\n'
        'Officials said the plan would be published <a href="https://bench.example/budget/">online</a> '
        'before the next meeting.\n\n'
        '[caption id="attachment_1" align="alignright" width="300"]<img src="https://bench.example/p.jpg" '
        'alt="" width="300" height="200" /> The hall on Tuesday[/caption]\n\n'
        'A vote is expected next month.')
cid = 0
for p in range(1, posts + 1):
    y, mo, d = 2010 + p % 14, 1 + p % 12, 1 + p % 28
    date = '%04d-%02d-%02d %02d:%02d:00' % (y, mo, d, p % 24, p % 60)
    w('<item>\n<title><![CDATA[Council story number %d]]></title>\n'
      '<link>https://bench.example/%04d/%02d/council-story-%d/</link>\n'
      '<dc:creator><![CDATA[writer%d]]></dc:creator>\n'
      '<content:encoded><![CDATA[%s]]></content:encoded>\n<excerpt:encoded><![CDATA[]]></excerpt:encoded>\n'
      '<wp:post_id>%d</wp:post_id>\n<wp:post_date><![CDATA[%s]]></wp:post_date>\n'
      '<wp:post_date_gmt><![CDATA[%s]]></wp:post_date_gmt>\n<wp:comment_status><![CDATA[open]]></wp:comment_status>\n'
      '<wp:post_name><![CDATA[council-story-%d]]></wp:post_name>\n<wp:status><![CDATA[publish]]></wp:status>\n'
      '<wp:post_parent>0</wp:post_parent>\n<wp:post_type><![CDATA[post]]></wp:post_type>\n'
      '<wp:post_password><![CDATA[]]></wp:post_password>\n<wp:is_sticky>0</wp:is_sticky>\n'
      '<category domain="category" nicename="section-%d"><![CDATA[Section %d]]></category>\n'
      '<category domain="post_tag" nicename="topic-%d"><![CDATA[Topic %d]]></category>\n'
      '<category domain="post_tag" nicename="topic-%d"><![CDATA[Topic %d]]></category>\n'
      % (p, y, mo, p, p % 3, BODY, p, date, date, p, p % 20, p % 20, p % 200, p % 200, (p * 7) % 200, (p * 7) % 200))
    for k in range(long_thread if p == 1 and long_thread > 0 else per):
        cid += 1
        parent = cid - 1 if k % 3 == 2 else 0
        w('<wp:comment><wp:comment_id>%d</wp:comment_id><wp:comment_author><![CDATA[Reader %d]]></wp:comment_author>'
          '<wp:comment_author_email><![CDATA[reader%d@example.com]]></wp:comment_author_email>'
          '<wp:comment_author_url>https://reader%d.example/</wp:comment_author_url>'
          '<wp:comment_author_IP><![CDATA[192.0.2.%d]]></wp:comment_author_IP>'
          '<wp:comment_date><![CDATA[%s]]></wp:comment_date><wp:comment_date_gmt><![CDATA[%s]]></wp:comment_date_gmt>'
          '<wp:comment_content><![CDATA[I was at the meeting too, and the point about the library hours is right.\n'
          'Thanks for writing this up.]]></wp:comment_content><wp:comment_approved><![CDATA[%s]]></wp:comment_approved>'
          '<wp:comment_type><![CDATA[comment]]></wp:comment_type><wp:comment_parent>%d</wp:comment_parent>'
          '<wp:comment_user_id>0</wp:comment_user_id></wp:comment>\n'
          % (cid, cid % 5000, cid % 5000, cid % 5000, cid % 250, date, date, '1' if k % 10 else '0', parent))
    w('</item>\n')
w('</channel>\n</rss>\n')
