// Test images made with Debian's tools (libvips-tools' vips, exiftool), and what exiftool and
// vipsheader say of a file: for the media library's end-to-end tests.
'use strict';

const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

function run(cmd, args) {
    return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

// A w x h picture in file (its type from the extension): blue with a red square (h/4) top left.
function picture(file, w, h) {
    const v = `${file}.v`;
    run('vips', ['black', `${file}.b.v`, String(w), String(h), '--bands', '3']);
    run('vips', ['linear', `${file}.b.v`, v, '1 1 1', '20 40 220']);
    run('vips', ['draw_rect', v, '230 10 10', '0', '0', String(Math.floor(h / 4)), String(Math.floor(h / 4)),
        '--fill']);
    run('vips', ['cast', v, file, 'uchar']);
    fs.rmSync(v);
    fs.rmSync(`${file}.b.v`);
    return file;
}

// A JPEG w x h carrying GPS, a camera serial number, XMP, a comment, and orientation 6 (turn a
// quarter clockwise to show it upright).
function jpegWithGps(file, w, h) {
    picture(file, w, h);
    run('exiftool', ['-q', '-overwrite_original', '-GPSLatitude=48.8566', '-GPSLatitudeRef=N',
        '-GPSLongitude=2.3522', '-GPSLongitudeRef=E', '-Orientation#=6', '-SerialNumber=SN-998877',
        '-XMP:Creator=Somebody', '-Comment=secret', file]);
    return file;
}

// exiftool's metadata groups of a file (EXIF, GPS, XMP, IPTC, ICC, comments): '' when none.
function metadata(file) {
    return run('exiftool', ['-q', '-q', '-s', '-EXIF:all', '-GPS:all', '-XMP:all', '-IPTC:all', '-ICC_Profile:all',
        '-Comment', file]).trim();
}

// {width, height, loader} as vipsheader reads them.
function header(file) {
    const out = run('vipsheader', ['-a', file]);
    const f = (k) => (new RegExp(`^${k}: (.*)$`, 'm').exec(out) || [])[1];
    return { width: Number(f('width')), height: Number(f('height')), loader: f('vips-loader') };
}

// The RGB of a pixel.
function pixel(file, x, y) {
    return run('vips', ['getpoint', file, String(x), String(y)]).trim().split(/\s+/).map(Number);
}

// Every regular file under dir, relative.
function filesUnder(dir) {
    const out = [];
    const walk = (d) => {
        if (!fs.existsSync(d))
            return;
        for (const e of fs.readdirSync(d, { withFileTypes: true })) {
            const p = path.join(d, e.name);
            if (e.isDirectory())
                walk(p);
            else
                out.push(path.relative(dir, p));
        }
    };
    walk(dir);
    return out.sort();
}

module.exports = { picture, jpegWithGps, metadata, header, pixel, filesUnder };
