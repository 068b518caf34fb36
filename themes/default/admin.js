// Small progressive enhancements for the newsroom; every action works without this file.
// - Forms marked class="confirm" ask before they delete something for good.
// - The comment queue gets a "select all" checkbox.
'use strict';
document.addEventListener('DOMContentLoaded', function () {
    document.querySelectorAll('form.confirm').forEach(function (f) {
        f.addEventListener('submit', function (e) {
            if (!window.confirm('Delete this for good? This cannot be undone.'))
                e.preventDefault();
        });
    });
    var form = document.getElementById('comments-form');
    if (form) {
        var boxes = form.querySelectorAll('input[name=ids]');
        var head = form.querySelector('thead th');
        if (head && boxes.length) {
            var all = document.createElement('input');
            all.type = 'checkbox';
            all.setAttribute('aria-label', 'Select all');
            all.addEventListener('change', function () {
                boxes.forEach(function (b) { b.checked = all.checked; });
            });
            head.appendChild(all);
        }
    }
});
