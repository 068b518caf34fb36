// The newsroom's editor, made quicker with script; every part of it also works without this file
// (the Preview button renders on the server, the Save button saves).
// - A formatting toolbar that writes Markdown or HTML, as the post's format field says.
// - A word count that follows the typing.
// - A preview beside the body that follows the typing (the server renders it, through the same
//   HTML filter as a save, so it shows what will be kept).
// - An autosave every 30 seconds while something changed: a stored post gets an autosave
//   revision; a new post is saved as a draft, and the page then edits that draft.
// - Images: an image dropped on the body or pasted into it, or chosen in the "Insert an image"
//   panel, is uploaded to the library and inserted at the cursor (Markdown or a <figure>, as the
//   format says); the panel also lists the library to pick from. Without script the panel's
//   buttons send the whole form, and the editor comes back with the image at the end of the body.
'use strict';
(function () {
    var AUTOSAVE_MS = 30000;
    var PREVIEW_DELAY_MS = 700;
    var form = document.getElementById('post-editor');
    var body = document.getElementById('content');
    if (!form || !body)
        return;
    var format = document.getElementById('format');
    var count = document.getElementById('word-count');
    var status = document.getElementById('autosave-status');
    var previewBody = document.getElementById('preview-body');

    // ---- the toolbar ----------------------------------------------------------------------
    var html = function () { return format && format.value !== 'markdown'; };
    var tools = [
        { label: 'B', name: 'Bold', md: ['**', '**'], html: ['<strong>', '</strong>'] },
        { label: 'I', name: 'Italic', md: ['*', '*'], html: ['<em>', '</em>'] },
        { label: 'H2', name: 'H2 heading', md: ['## ', ''], html: ['<h2>', '</h2>'], line: true },
        { label: '“ ”', name: 'Quote', md: ['> ', ''], html: ['<blockquote>', '</blockquote>'], line: true },
        { label: '•', name: 'List item', md: ['- ', ''], html: ['<ul>\n<li>', '</li>\n</ul>'], line: true },
        { label: '</>', name: 'Code', md: ['`', '`'], html: ['<code>', '</code>'] },
        { label: 'Link', name: 'Link', link: true },
        { label: 'Image', name: 'Insert image', image: true },
    ];

    function insert(before, text, after) {
        var start = body.selectionStart, end = body.selectionEnd;
        body.focus();
        body.setRangeText(before + text + after, start, end, 'select');
        body.setSelectionRange(start + before.length, start + before.length + text.length);
        body.dispatchEvent(new Event('input', { bubbles: true }));
    }

    function apply(t) {
        if (t.image && openImages())
            return;
        var selected = body.value.slice(body.selectionStart, body.selectionEnd);
        if (t.link || t.image) {
            var url = window.prompt(t.image ? 'Image address (URL)' : 'Link address (URL)', 'https://');
            if (!url)
                return;
            var text = selected || (t.image ? 'description' : 'link text');
            var q = url.replace(/&/g, '&amp;').replace(/"/g, '&quot;');
            if (t.image)
                insert(html() ? '<img src="' + q + '" alt="' : '![', text, html() ? '">' : '](' + url + ')');
            else
                insert(html() ? '<a href="' + q + '">' : '[', text, html() ? '</a>' : '](' + url + ')');
            return;
        }
        var pair = html() ? t.html : t.md;
        var start = body.selectionStart;
        if (t.line && !html() && start > 0 && body.value[start - 1] !== '\n')
            pair = ['\n' + pair[0], pair[1]];
        insert(pair[0], selected || t.name.toLowerCase(), pair[1]);
    }

    var bar = document.getElementById('toolbar');
    if (bar) {
        tools.forEach(function (t) {
            var b = document.createElement('button');
            b.type = 'button';
            b.textContent = t.label;
            b.title = t.name;
            b.setAttribute('aria-label', t.name);
            b.dataset.tool = t.name.toLowerCase().replace(/ /g, '-');
            b.addEventListener('click', function () { apply(t); });
            bar.appendChild(b);
        });
        bar.hidden = false;
    }

    // ---- images ---------------------------------------------------------------------------
    var panel = document.getElementById('image-insert');
    var imageStatus = document.getElementById('image-status');
    var library = document.getElementById('image-library');
    var known = {};

    // Opens the image panel (when this user may upload): true when there is one.
    function openImages() {
        if (!panel)
            return false;
        panel.open = true;
        panel.scrollIntoView({ block: 'nearest' });
        document.getElementById('image-file').focus();
        return true;
    }

    function say(text, error) {
        imageStatus.textContent = text;
        imageStatus.className = error ? 'error' : '';
        if (error)
            panel.open = true;
    }

    // Puts the medium's snippet at position at of the body, as a paragraph of its own.
    function insertImage(m, at) {
        var text = html() ? m.html : m.markdown;
        var v = body.value;
        at = Math.min(at, v.length);
        var nl = function (i) { return v[i] === '\n' ? 1 : 0; };
        var before = at === 0 ? '' : '\n\n'.slice(nl(at - 1) + (nl(at - 1) && nl(at - 2)));
        var after = at === v.length ? '\n' : '\n\n'.slice(nl(at) + (nl(at) && nl(at + 1)));
        body.setRangeText(before + text + after, at, at, 'end');
        body.focus();
        body.dispatchEvent(new Event('input', { bubbles: true }));
    }

    function panelField(id) {
        var f = document.getElementById(id);
        return f ? f.value : '';
    }

    // Uploads file to the library (the Media screen's path: same checks and messages), then
    // inserts it where the cursor was when the upload began.
    function upload(file) {
        var at = body.selectionEnd;
        var data = new FormData();
        data.append('_csrf', form.elements._csrf.value);
        data.append('alt', panelField('image-alt'));
        data.append('caption', panelField('image-caption'));
        data.append('credit', panelField('image-credit'));
        data.append('file', file, file.name || 'pasted-image');
        say('Uploading ' + (file.name || 'the image') + '…');
        return fetch('/admin/media/upload', { method: 'POST', body: data, headers: { Accept: 'application/json' } })
            .then(function (r) {
                if (!/json/.test(r.headers.get('Content-Type') || ''))
                    throw new Error(r.status === 413 ? 'the file is larger than the newsroom accepts.'
                        : 'the newsroom answered ' + r.status + '.');
                return r.json();
            })
            .then(function (j) {
                if (j.error)
                    throw new Error(j.error);
                known[j.id] = j;
                insertImage(j, at);
                ['image-file', 'image-alt', 'image-caption', 'image-credit'].forEach(function (id) {
                    document.getElementById(id).value = '';
                });
                say((file.name || 'The image') + ' was inserted. Save the post to keep it.');
            })
            .catch(function (e) {
                say('The image was not added: ' + (e.message || 'the newsroom did not answer.'), true);
            });
    }

    function images(list) {
        return Array.prototype.filter.call(list || [], function (f) { return /^image\//.test(f.type); });
    }

    // One upload after the other, so that they land in the order given.
    function uploadAll(files) {
        files.reduce(function (p, f) { return p.then(function () { return upload(f); }); }, Promise.resolve());
    }

    // The library, newest first (or those matching the search), as buttons that insert.
    var search = null, searchTimer = null;
    function loadLibrary() {
        var q = search && search.value ? '?s=' + encodeURIComponent(search.value) : '';
        fetch('/admin/media/' + q, { headers: { Accept: 'application/json' } })
            .then(function (r) { return r.json(); })
            .then(function (j) {
                var grid = library.querySelector('ul');
                grid.textContent = '';
                (j.items || []).forEach(function (m) {
                    known[m.id] = m;
                    var li = document.createElement('li');
                    var b = document.createElement('button');
                    b.type = 'button';
                    b.dataset.id = m.id;
                    b.setAttribute('aria-label', 'Insert ' + (m.alt || m.title));
                    var im = document.createElement('img');
                    im.src = m.image.src;
                    im.alt = '';
                    im.width = m.image.width;
                    im.height = m.image.height;
                    b.appendChild(im);
                    b.addEventListener('click', function () { insertImage(m, body.selectionEnd); say('Inserted.'); });
                    li.appendChild(b);
                    grid.appendChild(li);
                });
                if (!j.items || !j.items.length)
                    grid.textContent = 'No image matches.';
            })
            .catch(function () { /* the list and its Insert button still work */ });
    }

    if (panel) {
        var file = document.getElementById('image-file');
        document.getElementById('image-upload').addEventListener('click', function (e) {
            e.preventDefault();
            if (!file.files.length)
                say('Choose an image file to upload.', true);
            else
                uploadAll(Array.prototype.slice.call(file.files));
        });
        document.getElementById('image-pick-button').addEventListener('click', function (e) {
            var id = document.getElementById('image-pick').value;
            if (known[id]) { // else the form goes, and comes back with the image at the end
                e.preventDefault();
                insertImage(known[id], body.selectionEnd);
                say('Inserted.');
            }
        });
        library.innerHTML = '<p><label for="image-search">Search the library</label> ' +
            '<input type="search" id="image-search"></p><ul></ul>';
        library.hidden = false;
        search = document.getElementById('image-search');
        search.addEventListener('input', function () {
            clearTimeout(searchTimer);
            searchTimer = setTimeout(loadLibrary, 300);
        });
        panel.addEventListener('toggle', function () {
            if (panel.open && !library.dataset.loaded) {
                library.dataset.loaded = '1';
                loadLibrary();
            }
        });
        body.addEventListener('dragover', function (e) {
            if (e.dataTransfer && Array.prototype.indexOf.call(e.dataTransfer.types, 'Files') >= 0) {
                e.preventDefault();
                body.classList.add('drop-target');
            }
        });
        body.addEventListener('dragleave', function () { body.classList.remove('drop-target'); });
        body.addEventListener('drop', function (e) {
            body.classList.remove('drop-target');
            var files = images(e.dataTransfer && e.dataTransfer.files);
            if (!files.length)
                return;
            e.preventDefault();
            uploadAll(files);
        });
        body.addEventListener('paste', function (e) {
            var files = images(e.clipboardData && e.clipboardData.files);
            if (!files.length)
                return;
            e.preventDefault();
            uploadAll(files);
        });
    }

    // ---- the word count -------------------------------------------------------------------
    function words() {
        var text = body.value.replace(/<(script|style)\b[\s\S]*?<\/\1\s*>/gi, ' ').replace(/<[^>]*>/g, ' ')
            .replace(/\[\/?[a-z]+[^\]]*\]/g, ' ');
        var n = text.split(/\s+/).filter(function (w) { return /[\p{L}\p{N}]/u.test(w); }).length;
        count.textContent = n + (n === 1 ? ' word' : ' words');
    }

    // ---- the preview ----------------------------------------------------------------------
    var previewTimer = null;
    function fields(action) {
        var data = new FormData(form);
        data.set('do', action);
        data.delete('file');
        return new URLSearchParams(data);
    }

    function preview() {
        fetch(form.action, { method: 'POST', body: fields('preview_fragment') })
            .then(function (r) { return r.json(); })
            .then(function (j) {
                if (j.html === undefined)
                    return;
                previewBody.innerHTML = j.html;
                var empty = document.getElementById('preview-empty');
                if (empty)
                    empty.hidden = true;
                var note = document.getElementById('removed');
                if (j.removed > 0) {
                    if (!note) {
                        note = document.createElement('p');
                        note.id = 'removed';
                        note.className = 'notice filtered-notice';
                        previewBody.parentNode.insertBefore(note, previewBody);
                    }
                    note.textContent = 'Your role may not post some of this HTML: the filter takes out ' + j.removed +
                        ' item(s) (' + j.names + '). The preview shows what is kept.';
                    note.hidden = false;
                } else if (note) {
                    note.hidden = true;
                }
                // a change of format now shown: Save may keep it
                var checked = form.querySelector('input[name=format_checked]');
                if (!checked) {
                    checked = document.createElement('input');
                    checked.type = 'hidden';
                    checked.name = 'format_checked';
                    form.appendChild(checked);
                }
                checked.value = j.format;
            })
            .catch(function () { /* the Preview button still works */ });
    }

    function schedulePreview() {
        clearTimeout(previewTimer);
        previewTimer = setTimeout(preview, PREVIEW_DELAY_MS);
    }

    // ---- the autosave ---------------------------------------------------------------------
    var dirty = false;
    var saving = false;
    function autosave() {
        if (!dirty || saving)
            return;
        saving = true;
        dirty = false;
        fetch(form.action, { method: 'POST', body: fields('autosave') })
            .then(function (r) { return r.json(); })
            .then(function (j) {
                if (j.saved) {
                    if (form.elements.id.value === '' && j.id) {
                        form.elements.id.value = j.id;
                        form.elements.version.value = j.version;
                        history.replaceState(null, '', '/admin/post/' + j.id);
                    }
                    status.textContent = 'Draft autosaved ' + j.when + '.';
                } else if (j.error) {
                    status.textContent = 'Not autosaved: ' + j.error;
                    dirty = true;
                }
            })
            .catch(function () {
                status.textContent = 'Not autosaved: the newsroom did not answer.';
                dirty = true;
            })
            .finally(function () { saving = false; });
    }

    function changed() {
        dirty = true;
        words();
        schedulePreview();
    }
    body.addEventListener('input', changed);
    form.elements.title.addEventListener('input', function () { dirty = true; });
    if (format)
        format.addEventListener('change', changed);
    form.addEventListener('submit', function () { dirty = false; });
    setInterval(autosave, AUTOSAVE_MS);
}());
