// Small images for the tests that need one: PNG files written with node's zlib (an RGB gradient,
// or RGBA with a transparent corner), and the size of a PNG, JPEG or ICO read back from its header.
'use strict';

const fs = require('node:fs');
const zlib = require('node:zlib');

const CRC_TABLE = (() => {
    const t = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
        let c = n;
        for (let k = 0; k < 8; k++)
            c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
        t[n] = c >>> 0;
    }
    return t;
})();

function crc32(buf) {
    let c = 0xffffffff;
    for (const b of buf)
        c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(td));
    return Buffer.concat([len, td, crc]);
}

// A width x height PNG: a gradient, with alpha when `alpha` (its top-left quarter transparent).
function png(width, height, { alpha = false } = {}) {
    const bpp = alpha ? 4 : 3;
    const raw = Buffer.alloc((width * bpp + 1) * height);
    for (let y = 0; y < height; y++) {
        const row = y * (width * bpp + 1);
        raw[row] = 0;
        for (let x = 0; x < width; x++) {
            const p = row + 1 + x * bpp;
            raw[p] = (x * 255 / width) | 0;
            raw[p + 1] = (y * 255 / height) | 0;
            raw[p + 2] = 128;
            if (alpha)
                raw[p + 3] = x < width / 2 && y < height / 2 ? 0 : 255;
        }
    }
    const ihdr = Buffer.alloc(13);
    ihdr.writeUInt32BE(width, 0);
    ihdr.writeUInt32BE(height, 4);
    ihdr[8] = 8;
    ihdr[9] = alpha ? 6 : 2;
    return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr),
        chunk('IDAT', zlib.deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

function writePng(file, width, height, opts) {
    fs.writeFileSync(file, png(width, height, opts));
    return file;
}

// {type, width, height} of a PNG, a JPEG (its first SOF marker) or an ICO (its first image).
function imageSize(buf) {
    if (buf.length > 24 && buf.readUInt32BE(0) === 0x89504e47)
        return { type: 'png', width: buf.readUInt32BE(16), height: buf.readUInt32BE(20),
            alpha: buf[25] === 6 || buf[25] === 4 };
    if (buf.length > 4 && buf[0] === 0xff && buf[1] === 0xd8) {
        let i = 2;
        while (i + 9 < buf.length) {
            if (buf[i] !== 0xff)
                return null;
            const marker = buf[i + 1];
            const len = buf.readUInt16BE(i + 2);
            if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc)
                return { type: 'jpeg', height: buf.readUInt16BE(i + 5), width: buf.readUInt16BE(i + 7) };
            i += 2 + len;
        }
        return null;
    }
    if (buf.length > 22 && buf.readUInt16LE(0) === 0 && buf.readUInt16LE(2) === 1)
        return { type: 'ico', count: buf.readUInt16LE(4), width: buf[6] || 256, height: buf[7] || 256 };
    return null;
}

module.exports = { png, writePng, imageSize };
