// The newsroom's editor, made quicker with script; every part of it also works without this file
// (the Preview button renders on the server, the Save button saves).
// - A formatting toolbar that writes Markdown or HTML, as the post's format field says.
// - A word count that follows the typing.
// - A preview beside the body that follows the typing (the server renders it, through the same
//   HTML filter as a save, so it shows what will be kept).
// - An autosave every 30 seconds while something changed: a stored post gets an autosave
//   revision; a new post is saved as a draft, and the page then edits that draft.
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
        { label: 'Image', name: 'Image', image: true },
    ];

    function insert(before, text, after) {
        var start = body.selectionStart, end = body.selectionEnd;
        body.focus();
        body.setRangeText(before + text + after, start, end, 'select');
        body.setSelectionRange(start + before.length, start + before.length + text.length);
        body.dispatchEvent(new Event('input', { bubbles: true }));
    }

    function apply(t) {
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
