// Writes the template benchmark's theme and data into DIR: a page layout (head, header with
// navigation, footer) around an article (title, byline, body, categories, tags, previous/next) and
// 50 reader comments threaded up to four levels deep through a recursive partial.
//   node bench/template/gen.js DIR
'use strict';
const fs = require('fs');
const path = require('path');

const dir = process.argv[2];
if (!dir) {
  console.error('usage: gen.js DIR');
  process.exit(2);
}
fs.mkdirSync(dir, { recursive: true });

const templates = {
  page: `<!DOCTYPE html>
<html lang="en">
<head>
  {{>head}}
</head>
<body class="single post-{{post.id}}">
  {{>header}}
  <main id="main">
    {{>article}}
    {{>comments}}
  </main>
  {{>footer}}
</body>
</html>
`,
  head: `<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{post.title}} – {{site.title}}</title>
<meta name="description" content="{{post.excerpt}}">
<link rel="canonical" href="{{site.url}}{{post.path}}">
<link rel="stylesheet" href="/static/style.css">
<link rel="alternate" type="application/rss+xml" title="{{site.title}} » Feed" href="/feed/">
<link rel="alternate" type="application/rss+xml" title="{{site.title}} » {{post.title}} Comments Feed" href="{{post.path}}feed/">
`,
  header: `<header class="site-header">
  <p class="site-title"><a href="/" rel="home">{{site.title}}</a></p>
  <p class="site-description">{{site.tagline}}</p>
  <nav aria-label="Primary">
    <ul class="menu">
      {{#site.menu}}
      <li class="menu-item{{#current}} current{{/current}}"><a href="{{url}}">{{title}}</a></li>
      {{/site.menu}}
    </ul>
  </nav>
</header>
`,
  footer: `<footer class="site-footer">
  <nav aria-label="Footer">
    {{#site.footer_links}}
    <a href="{{url}}">{{title}}</a>
    {{/site.footer_links}}
  </nav>
  <p>© {{site.year}} {{site.title}}. Proudly published with Gazette.</p>
</footer>
`,
  article: `<article id="post-{{post.id}}" class="post type-post status-publish">
  <header class="entry-header">
    <h1 class="entry-title">{{post.title}}</h1>
    <p class="byline">
      By <a rel="author" href="/author/{{post.author.login}}/">{{post.author.name}}</a>
      on <time datetime="{{post.date_iso}}">{{post.date}}</time>
      {{#post.updated}}(updated <time datetime="{{post.updated_iso}}">{{post.updated}}</time>){{/post.updated}}
    </p>
  </header>
  <div class="entry-content">
    {{{post.content}}}
  </div>
  <footer class="entry-footer">
    {{#post.has_categories}}
    <p class="cat-links">Posted in
      {{#post.categories}}
      <a href="/category/{{slug}}/" rel="category tag">{{name}}</a>
      {{/post.categories}}
    </p>
    {{/post.has_categories}}
    {{#post.has_tags}}
    <p class="tags-links">Tagged
      {{#post.tags}}
      <a href="/tag/{{slug}}/" rel="tag">{{name}}</a>
      {{/post.tags}}
    </p>
    {{/post.has_tags}}
  </footer>
</article>
<nav class="post-navigation" aria-label="Posts">
  {{#prev}}
  <a rel="prev" href="{{path}}"><span class="meta-nav">Previous Post</span> {{title}}</a>
  {{/prev}}
  {{#next}}
  <a rel="next" href="{{path}}"><span class="meta-nav">Next Post</span> {{title}}</a>
  {{/next}}
</nav>
`,
  comments: `<section id="comments" class="comments-area">
  {{#comment_count}}
  <h2 id="comments-title">{{comment_count}} Comments</h2>
  <ol class="comment-list">
    {{#comments}}
    {{>comment}}
    {{/comments}}
  </ol>
  {{/comment_count}}
  <section id="respond">
    <h2 id="reply-title">Leave a Reply</h2>
    <form method="post" action="/comment/" id="commentform">
      <p class="comment-notes">Your email address will not be published. Required fields are marked <span class="required">*</span></p>
      <p><label for="comment">Comment <span class="required">*</span></label>
        <textarea id="comment" name="comment" required maxlength="65525"></textarea></p>
      <p><label for="author">Name <span class="required">*</span></label>
        <input id="author" name="author" required value="{{commenter.name}}"></p>
      <p><label for="email">Email <span class="required">*</span></label>
        <input id="email" name="email" type="email" required value="{{commenter.email}}"></p>
      <p><label for="url">Website</label> <input id="url" name="url" type="url" value="{{commenter.url}}"></p>
      <input type="hidden" name="comment_post_ID" value="{{post.id}}">
      <input type="hidden" name="comment_parent" value="0">
      <p class="form-submit"><button type="submit">Post Comment</button></p>
    </form>
  </section>
</section>
`,
  comment: `<li id="comment-{{id}}" class="comment depth-{{depth}}">
  <article class="comment-body">
    <footer class="comment-meta">
      {{#url}}
      <a href="{{url}}" rel="external nofollow ugc">{{author}}</a>
      {{/url}}
      {{^url}}
      <span class="fn">{{author}}</span>
      {{/url}}
      <time datetime="{{date_iso}}">{{date}}</time>
    </footer>
    <div class="comment-content">
      {{#paragraphs}}
      <p>{{.}}</p>
      {{/paragraphs}}
    </div>
    {{#can_reply}}
    <a class="comment-reply-link" href="?replytocom={{id}}#respond">Reply</a>
    {{/can_reply}}
  </article>
  {{#has_replies}}
  <ol class="children">
    {{#replies}}
    {{>comment}}
    {{/replies}}
  </ol>
  {{/has_replies}}
</li>
`,
};

// A small deterministic generator, so every run renders the same bytes.
let seed = 42;
function rnd(n) {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed % n;
}
const words = ('the council said on tuesday that its plan for the harbour would go ahead despite ' +
  'objections from residents who "fear" the noise & traffic <of> a new ferry terminal it\'s ' +
  'expected to open next spring after years of delay and a budget of 40 million').split(' ');
function sentence(n) {
  const w = [];
  for (let i = 0; i < n; i++) w.push(words[rnd(words.length)]);
  const s = w.join(' ');
  return s[0].toUpperCase() + s.slice(1) + '.';
}
function paragraph() {
  const s = [];
  for (let i = 0, n = 2 + rnd(4); i < n; i++) s.push(sentence(8 + rnd(14)));
  return s.join(' ');
}

const names = ['Ana Lima', 'Bob O\'Neil', 'Chen Wei', 'Dana & Co', 'Eve <admin>', 'Farah Haddad', 'Gus'];
let nextId = 1000;
let made = 0;
function comment(depth) {
  const id = nextId++;
  made++;
  const paragraphs = [];
  for (let i = 0, n = 1 + rnd(3); i < n; i++) paragraphs.push(paragraph());
  const c = {
    id, depth,
    author: names[rnd(names.length)],
    url: rnd(3) === 0 ? `https://example.org/~user${id}?a=1&b=2` : '',
    date: `May ${1 + rnd(28)}, 2026 at ${1 + rnd(11)}:${10 + rnd(49)} pm`,
    date_iso: `2026-05-${String(1 + rnd(28)).padStart(2, '0')}T${String(rnd(24)).padStart(2, '0')}:00:00Z`,
    paragraphs,
    can_reply: depth < 5,
    replies: [],
  };
  return c;
}
// 50 comments: 18 at the top, the rest as replies to earlier ones, at most depth 4.
const top = [];
const all = [];
while (made < 50) {
  if (top.length < 18 && (all.length === 0 || rnd(3) === 0)) {
    const c = comment(1);
    top.push(c);
    all.push(c);
  } else {
    const parents = all.filter((c) => c.depth < 4);
    const p = parents[rnd(parents.length)];
    const c = comment(p.depth + 1);
    p.replies.push(c);
    all.push(c);
  }
}
for (const c of all) c.has_replies = c.replies.length > 0;

const body = [];
for (let i = 0; i < 9; i++) body.push(`<p>${paragraph().replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')}</p>`);
const data = {
  site: {
    title: 'The Harbour Gazette', tagline: 'News from the waterfront & beyond', url: 'https://news.example.com',
    year: 2026,
    menu: ['Home', 'Politics', 'Business', 'Culture', 'Sport', 'Opinion', 'About'].map((t, i) => ({
      title: t, url: i === 0 ? '/' : `/category/${t.toLowerCase()}/`, current: t === 'Politics',
    })),
    footer_links: ['Contact', 'Privacy', 'Terms', 'Advertise'].map((t) => ({ title: t, url: `/${t.toLowerCase()}/` })),
  },
  post: {
    id: 4711,
    title: 'Council approves "harbour plan" despite residents\' objections',
    excerpt: 'The council said on Tuesday its <harbour> plan would go ahead & open next spring.',
    path: '/2026/05/04/council-approves-harbour-plan/',
    date: 'May 4, 2026', date_iso: '2026-05-04T09:30:00Z',
    updated: 'May 5, 2026', updated_iso: '2026-05-05T08:00:00Z',
    author: { login: 'ana', name: 'Ana Lima' },
    content: body.join('\n'),
    has_categories: true,
    categories: [{ slug: 'politics', name: 'Politics' }, { slug: 'local', name: 'Local & Regional' }],
    has_tags: true,
    tags: ['harbour', 'council', 'ferry', 'budget', 'transport'].map((t) => ({ slug: t, name: t })),
  },
  prev: { path: '/2026/05/03/ferry-timetable/', title: 'New ferry timetable <draft> published' },
  next: { path: '/2026/05/05/budget-vote/', title: 'Budget vote "postponed" again' },
  comment_count: all.length,
  comments: top,
  commenter: { name: '', email: '', url: '' },
};

for (const [name, src] of Object.entries(templates)) fs.writeFileSync(path.join(dir, name + '.mustache'), src);
fs.writeFileSync(path.join(dir, 'data.json'), JSON.stringify(data, null, 1));
