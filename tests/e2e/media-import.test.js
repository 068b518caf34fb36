// Moving a WordPress site's uploads in: `gazette import wxr FILE --uploads DIR` with the theme unit
// test export and an uploads folder built here (an image of the right name for each attachment,
// one left out, the audio and video files as they are: not images). Attachments become media,
// featured images are kept, old upload URLs in bodies (resized names included) point at the new
// copies; missing files are listed; a second run adds nothing; without --uploads nothing changes.
'use strict';

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const srv = require('./lib/server');
const { parse } = require('./lib/check');

const WXR = path.resolve(__dirname, '..', '..', '..', 'shared', 'testdata', 'wxr', 'themeunittestdata.wordpress.xml');
const OLD = 'wpthemetestdata.files.wordpress.com/';
const LEFT_OUT = '2008/06/100_5540.jpg';

let dataDir;
let server;
let uploads;
let summary;
let xml;

function mediaList(dir = dataDir) {
    return JSON.parse(srv.cli(dir, ['media', 'list', '--format=json']).stdout);
}

// The attachments of the export: [wp id, relative name]; and the posts' _thumbnail_id.
function attachments() {
    return [...xml.matchAll(/<wp:post_id>(\d+)<\/wp:post_id>[\s\S]*?<wp:attachment_url>(?:<!\[CDATA\[)?https?:\/\/wpthemetestdata\.files\.wordpress\.com\/([^<\]]+)/g)]
        .map((m) => [Number(m[1]), m[2]]);
}

before(async () => {
    xml = fs.readFileSync(WXR, 'utf8');
    uploads = srv.tempDir('gazette-wp-uploads-');
    const base = path.join(uploads, 'base.v');
    execFileSync('vips', ['black', base, '800', '600', '--bands', '3']);
    for (const [i, [, rel]] of attachments().entries()) {
        const file = path.join(uploads, rel);
        fs.mkdirSync(path.dirname(file), { recursive: true });
        if (rel === LEFT_OUT)
            continue;
        if (!/\.(jpe?g|png|gif)$/.test(rel)) {
            fs.writeFileSync(file, 'not a picture\n');
            continue;
        }
        const tinted = path.join(uploads, 'tinted.v');
        execFileSync('vips', ['linear', base, tinted, '1 1 1', `${(i * 7) % 255} 120 180`]);
        execFileSync('vips', ['cast', tinted, file, 'uchar']);
    }
    fs.rmSync(base);
    fs.rmSync(path.join(uploads, 'tinted.v'), { force: true });
    dataDir = srv.newDataDir();
    summary = srv.cli(dataDir, ['import', 'wxr', WXR, '--uploads', uploads]).stdout;
    server = await srv.startServer({ dataDir });
});

after(async () => {
    if (server)
        await server.stop();
});

describe('import wxr --uploads', () => {
    it('makes a medium of every attachment whose file is an image, and lists the others', () => {
        const images = attachments().filter(([, rel]) => /\.(jpe?g|png|gif)$/.test(rel));
        const m = mediaList();
        assert.equal(m.length, images.length - 1, summary);
        assert.match(summary, new RegExp(`media: ${images.length - 1} added, 0 already in the library, 3 missing`));
        assert.match(summary, /missing: 2008\/06\/100_5540\.jpg\n/);
        assert.match(summary, /missing: 2013\/12\/2014-slider-mobile-behavior\.mov: The file is not a JPEG/);
        // title, alt text (_wp_attachment_image_alt), date folder
        const canola = m.find((x) => x.alt === 'canola');
        assert.ok(canola, 'the alt text of canola2.jpg came along');
        assert.ok(canola.copies.every((c) => c.path.startsWith('2008/06/')), 'filed under the attachment\'s month');
    });

    it('keeps the featured images', async () => {
        const thumbs = [...xml.matchAll(/<wp:meta_key>(?:<!\[CDATA\[)?_thumbnail_id(?:\]\]>)?<\/wp:meta_key>/g)].length;
        assert.match(summary, new RegExp(`${thumbs} featured images`));
        // "Template: Featured Image (Horizontal)" shows its image at the top of the article
        const post = srv.postList(dataDir).find((p) => /Featured Image \(Horizontal\)/.test(p.title));
        assert.ok(post, 'the post is there');
        const r = await srv.get(server.url + srv.postShow(dataDir, post.id).path);
        const fig = parse(r.body).one('figure.featured-image img');
        assert.ok(fig, 'a featured image');
        assert.match(fig.attr('srcset'), /^\/uploads\/2013\/03\/[0-9a-f]{20}-\d+\.jpg \d+w/);
    });

    it('points the bodies at the new copies, resized names included', async () => {
        const post = srv.postList(dataDir).find((p) => p.title === 'Markup: Image Alignment');
        assert.ok(post);
        const show = srv.postShow(dataDir, post.id);
        assert.doesNotMatch(show.source || '', /files\.wordpress\.com\/2013\/03\/image-alignment/);
        const r = await srv.get(server.url + show.path);
        const imgs = parse(r.body).all('.entry-content img');
        assert.ok(imgs.length >= 4, `${imgs.length} images`);
        assert.ok(imgs.some((im) => im.attr('src').startsWith('/uploads/2013/03/')), 'the alignment images');
        for (const im of imgs) {
            assert.match(im.attr('src'), /^\/uploads\/\d{4}\/\d\d\/[0-9a-f]{20}-\d+\.jpg$/);
            assert.ok(im.attr('srcset') && im.attr('sizes') && im.attr('width') && im.attr('height'));
            assert.equal(im.attr('loading'), 'lazy');
            assert.equal((await fetch(server.url + im.attr('src'))).status, 200, im.attr('src'));
        }
        // the only old upload URLs left in any body are those of files that are not media
        for (const p of srv.postList(dataDir)) {
            const src = srv.postShow(dataDir, p.id).source || '';
            for (const m of src.matchAll(/https?:\/\/wpthemetestdata\.files\.wordpress\.com\/([^"'\s)<\]?]+)/g))
                assert.ok(m[1] === LEFT_OUT || !/\.(jpe?g|png|gif)$/.test(m[1]), `${p.title}: ${m[0]}`);
        }
    });

    it('maps WordPress\'s resized copies (NAME-WxH.ext) under wp-content/uploads to the nearest copy', () => {
        const dir = srv.tempDir('gazette-wp-small-');
        fs.mkdirSync(path.join(dir, 'up', '2020', '01'), { recursive: true });
        execFileSync('vips', ['black', path.join(dir, 'b.v'), '1500', '1000', '--bands', '3']);
        execFileSync('vips', ['linear', path.join(dir, 'b.v'), path.join(dir, 'c.v'), '1 1 1', '40 90 30']);
        execFileSync('vips', ['cast', path.join(dir, 'c.v'), path.join(dir, 'up', '2020', '01', 'quay.jpg'), 'uchar']);
        const old = 'http://old.example/wp-content/uploads/2020/01/';
        const item = (id, type, extra) => `<item><title>${type} ${id}</title><dc:creator>john</dc:creator>
<content:encoded><![CDATA[${extra.body || ''}]]></content:encoded><excerpt:encoded><![CDATA[${extra.caption || ''}]]></excerpt:encoded>
<wp:post_id>${id}</wp:post_id><wp:post_date_gmt>2020-01-15 10:00:00</wp:post_date_gmt><wp:post_name>${type}-${id}</wp:post_name>
<wp:status>${type === 'attachment' ? 'inherit' : 'publish'}</wp:status><wp:post_type>${type}</wp:post_type>
${extra.url ? `<wp:attachment_url>${extra.url}</wp:attachment_url>` : ''}${extra.meta || ''}</item>`;
        const wxr = `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" xmlns:content="http://purl.org/rss/1.0/modules/content/"
 xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/"><channel><title>Old</title>
<link>http://old.example</link><wp:wxr_version>1.2</wp:wxr_version><wp:base_blog_url>http://old.example</wp:base_blog_url>
<wp:author><wp:author_login>john</wp:author_login><wp:author_display_name>John</wp:author_display_name></wp:author>
${item(10, 'post', { body: `<a href="${old}quay.jpg"><img src="${old}quay-300x200.jpg" alt="" width="300" height="200" /></a>`,
        meta: '<wp:postmeta><wp:meta_key>_thumbnail_id</wp:meta_key><wp:meta_value>11</wp:meta_value></wp:postmeta>' })}
${item(11, 'attachment', { url: `${old}quay.jpg`, caption: 'The quay at noon',
        meta: '<wp:postmeta><wp:meta_key>_wp_attached_file</wp:meta_key><wp:meta_value>2020/01/quay.jpg</wp:meta_value></wp:postmeta>' })}
</channel></rss>`;
        fs.writeFileSync(path.join(dir, 'old.xml'), wxr);
        const data = srv.newDataDir();
        const out = srv.cli(data, ['import', 'wxr', path.join(dir, 'old.xml'), '--uploads', path.join(dir, 'up')]).stdout;
        assert.match(out, /media: 1 added, 0 already in the library, 0 missing or not images; 1 featured images; 2 old upload URLs rewritten/);
        const m = mediaList(data)[0];
        assert.equal(m.caption, 'The quay at noon');
        const post = srv.postList(data).find((p) => p.title === 'post 10');
        const src = srv.postShow(data, post.id).source;
        const copy = (w) => m.copies.find((c) => c.format === 'jpeg' && c.width === w).path;
        assert.ok(src.includes(`href="/uploads/${copy(1500)}"`), `the link to the full size: ${src}`);
        assert.ok(src.includes(`src="/uploads/${copy(320)}"`), `the 300 px copy becomes the 320 px one: ${src}`);
    });

    it('adds nothing when run again', () => {
        const before = { media: mediaList().length, posts: srv.postList(dataDir).length, files: fs.readdirSync(path.join(dataDir, 'uploads'), { recursive: true }).length };
        const again = srv.cli(dataDir, ['import', 'wxr', WXR, '--uploads', uploads]).stdout;
        assert.match(again, /media: 0 added, \d+ already in the library/);
        assert.deepEqual({ media: mediaList().length, posts: srv.postList(dataDir).length,
            files: fs.readdirSync(path.join(dataDir, 'uploads'), { recursive: true }).length }, before);
    });

    it('without --uploads, bodies keep their old URLs and no media are made', () => {
        const plain = srv.newDataDir();
        const out = srv.cli(plain, ['import', 'wxr', WXR]).stdout;
        assert.match(out, /files stay at their old URLs/);
        assert.equal(mediaList(plain).length, 0);
        const post = srv.postList(plain).find((p) => p.title === 'Markup: Image Alignment');
        assert.match(srv.postShow(plain, post.id).source, new RegExp(OLD.replace(/\./g, '\\.')));
    });
});
