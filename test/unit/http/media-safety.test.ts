// media-safety: which sniffed types are inline (passive image/audio/video/PDF only), that the declared type plays
// no part, that anything else is an octet-stream attachment, that file names cannot break the header, and that
// peeking at a stream's head loses no byte.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import {
  contentDisposition,
  peekStream,
  planMediaServing,
  safeFilename,
  SNIFF_BYTES,
} from '../../../server/src/http/media-safety.js';

const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAEElEQVR4nGOQz48BIgYIBQAYsgOp+nRl6gAAAABJRU5ErkJggg==',
  'base64',
);
const box = (type: string, body: Buffer) => {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(8 + body.length);
  head.write(type, 4, 'latin1');
  return Buffer.concat([head, body]);
};
const ftyp = (brand: string) => box('ftyp', Buffer.from(`${brand}\0\0\0\0isommp41`, 'latin1'));
const MP3_FRAME = Buffer.concat([Buffer.from([0xff, 0xfb, 0x90, 0x64]), Buffer.alloc(400)]);
const WEBM = Buffer.concat([
  Buffer.from(
    '\x1aE\xdf\xa3\x9fB\x86\x81\x01B\xf7\x81\x01B\xf2\x81\x04B\xf3\x81\x08B\x82\x84webmB\x87\x81\x04B\x85\x81\x02',
    'latin1',
  ),
  Buffer.alloc(100),
]);
const OGG_OPUS = Buffer.concat([
  Buffer.from('OggS\0\x02', 'latin1'),
  Buffer.alloc(20),
  Buffer.from([1, 19]),
  Buffer.from('OpusHead\x01\x01', 'latin1'),
  Buffer.alloc(20),
]);

test('passive types are inline with their sniffed type', async () => {
  const cases: Array<[string, Buffer, string]> = [
    ['png', PNG, 'image/png'],
    ['jpeg', Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0, 1]), 'image/jpeg'],
    ['gif', Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00\x00', 'latin1'), 'image/gif'],
    ['webp', Buffer.from('RIFF\x24\0\0\0WEBPVP8 ', 'latin1'), 'image/webp'],
    ['pdf', Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n', 'latin1'), 'application/pdf'],
    ['mp4', ftyp('isom'), 'video/mp4'],
    ['3gp', ftyp('3gp4'), 'video/3gpp'],
    ['m4a', ftyp('M4A '), 'audio/mp4'],
    ['amr', Buffer.from('#!AMR\n\x3c\x00\x00', 'latin1'), 'audio/amr'],
    ['mp3', Buffer.concat([Buffer.from('ID3\x03\0\0\0\0\0\0', 'latin1'), MP3_FRAME]), 'audio/mpeg'],
    ['aac', Buffer.concat([Buffer.from([0xff, 0xf1, 0x50, 0x80, 0x02, 0x1f, 0xfc]), Buffer.alloc(100)]), 'audio/aac'],
    ['webm', WEBM, 'video/webm'],
    ['ogg opus', OGG_OPUS, 'audio/ogg'],
  ];
  for (const [what, bytes, type] of cases) {
    assert.deepEqual(await planMediaServing(bytes), { contentType: type, disposition: 'inline' }, what);
  }
});

test('active, textual and unknown content is an octet-stream attachment', async () => {
  const attachment = { contentType: 'application/octet-stream', disposition: 'attachment' };
  for (const text of [
    '<!doctype html><script>alert(1)</script>',
    '<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
    '<html xmlns="http://www.w3.org/1999/xhtml"><script>alert(1)</script></html>',
    'fetch("/api/users", { method: "POST" })',
    'plain text',
    '',
  ]) {
    assert.deepEqual(await planMediaServing(Buffer.from(text)), attachment, text);
  }
  // A format file-type knows but that is not on the allow-list (a ZIP, a BMP) is not inline either.
  assert.deepEqual(await planMediaServing(Buffer.from('PK\x03\x04\x14\0\0\0\0\0', 'latin1')), attachment);
  assert.deepEqual(await planMediaServing(Buffer.from('BM\x3a\0\0\0\0\0\0\0\x36\0\0\0\x28\0', 'latin1')), attachment);
});

test('file names: no control characters, quotes or path separators; RFC 6266 filename* keeps the real name', () => {
  assert.equal(safeFilename('a"b\r\nc/../d\\e\0.html'), 'a_b__c_.._d_e_.html');
  assert.equal(safeFilename('...hidden'), 'hidden');
  assert.equal(safeFilename(''), 'file');
  assert.equal(safeFilename(undefined), 'file');
  assert.equal(safeFilename('x'.repeat(500)).length, 200);
  assert.equal(
    contentDisposition('attachment', 'café menu (1).pdf'),
    `attachment; filename="caf_ menu (1).pdf"; filename*=UTF-8''caf%C3%A9%20menu%20%281%29.pdf`,
  );
  assert.equal(contentDisposition('inline', 'chart.png'), `inline; filename="chart.png"; filename*=UTF-8''chart.png`);
  const header = contentDisposition('attachment', 'x"; filename="evil.html\r\nSet-Cookie: a=b');
  assert.doesNotMatch(header, /[\r\n]/);
  assert.equal(header.split('"').length, 3, 'exactly one quoted string');
});

test('peekStream returns the head and replays every byte in order', async () => {
  const all = Buffer.from(Array.from({ length: 20_000 }, (_, i) => i % 251));
  const parts = [all.subarray(0, 3), all.subarray(3, 5000), all.subarray(5000, 12_000), all.subarray(12_000)];
  const { head, stream } = await peekStream(Readable.from(parts));
  assert.equal(head.length, SNIFF_BYTES);
  assert.deepEqual(head, all.subarray(0, SNIFF_BYTES));
  const out: Buffer[] = [];
  for await (const c of stream) out.push(c as Buffer);
  assert.deepEqual(Buffer.concat(out), all);

  const tiny = await peekStream(Readable.from([Buffer.from('ab')]));
  assert.equal(tiny.head.toString(), 'ab');
  const rest: Buffer[] = [];
  for await (const c of tiny.stream) rest.push(c as Buffer);
  assert.equal(Buffer.concat(rest).toString(), 'ab');
});
