/**
 * `thrds verify` reads a message's erasable entry from its data text
 * (erasableText.ts) instead of parsing it, from a string (SQLite) or from
 * the bytes (MariaDB). What the erasure check finds must not depend on that:
 * over data texts that stray from the form one way each (another key first,
 * an escaped key, extra keys, keys given twice, fields that are not plain words, a second
 * erasure, a digest of the wrong length or case) crossed with right, edited
 * and erased content and right, other and missing erasure keys, both quick
 * paths come to exactly what the parsed path does: the finding, the counts,
 * and what is left pending.
 */
import { describe, expect, it } from 'vitest';
import { ErasureCheck } from '../../src/audit/erasureCheck.ts';
import type { ByteRow } from '../../src/audit/rowBytes.ts';
import { canonicalJson } from '../../src/events/canonicalJson.ts';
import { splitErasable } from '../../src/events/erasableContent.ts';
import type { EventRow } from '../../src/events/eventRows.ts';

const KEY = 'message:m1';
const split = splitErasable({ body: 'hello ✓', attachments: [], format: 'plain', messageId: 'm1' }, { key: KEY, fields: ['body', 'attachments'] }, 'ab'.repeat(16));
const DATA = canonicalJson(split.data);
const CONTENT = split.contentJson;
const DIGEST = (split.data.erasable as { digest: string }).digest;
/** `text` padded with x's to the 64 characters a digest takes. */
const aligned = (text: string) => text.padEnd(64, 'x');
const entry = (fields: string, key = KEY, digest = DIGEST, more = '') => `{"digest":"${digest}","fields":${fields},"key":${JSON.stringify(key)}${more}}`;

const datas: Record<string, string> = {
  'as stored': DATA,
  'the entry alone': `{"erasable":${entry('["body","attachments"]')}}`,
  'no fields': `{"erasable":${entry('[]')}}`,
  'a field that is a number': `{"erasable":${entry('[1]')}}`,
  'a field that is not a word': `{"erasable":${entry('["bo-dy"]')},"format":"plain"}`,
  'a key inside the entry after key': `{"erasable":${entry('["body"]', KEY, DIGEST, ',"more":1')}}`,
  'a key before the entry': `{"a":1,"erasable":${entry('["body"]')}}`,
  'an erases beside it': `{"erasable":${entry('["body"]')},"erases":"message:m0"}`,
  'an erasable inside another key': `{"erasable":${entry('["body"]')},"x":{"erasable":1}}`,
  'an escaped key': `{"erasable":${entry('["body"]', 'message:"m1"')}}`,
  'an empty key': `{"erasable":${entry('["body"]', '')}}`,
  'a short digest': `{"erasable":${entry('["body"]', KEY, DIGEST.slice(1))}}`,
  'an uppercase digest': `{"erasable":${entry('["body"]', KEY, DIGEST.toUpperCase())}}`,
  // JSON.parse keeps a key's last value: here digest is 1 (so no erasable entry at all), where a reader that
  // took 64 characters on faith would find fields and a key right after them.
  'keys twice, the second set 64 characters on': `{"erasable":{"digest":"${aligned('ab","fields":[],"key":"message:m0","digest":1,"pad":"')}","fields":[],"key":${JSON.stringify(KEY)}}}`,
  'an entry that is not an object': '{"erasable":"message:m1","messageId":"m1"}',
  'no entry': '{"messageId":"m1","threadId":"t1"}',
  'an erasure': '{"erases":"message:m1","messageId":"m1"}',
};
const contents: Record<string, string | null> = { right: CONTENT, edited: CONTENT.replace('hello', 'hellO'), erased: null };
const keys: Record<string, string | null> = { right: KEY, other: 'message:m2', missing: null };

function eventRow(data: string | object, content: string | null, erasureKey: string | null): EventRow {
  return { position: 7, event_id: 'e', stream_id: 's', stream_version: 1, type: 'MessagePosted', schema_version: 4, data, metadata: '{}', recorded_at: 0, hash: 'h', content, erasure_key: erasureKey };
}

function byteRow(data: string, content: string | null, erasureKey: string | null): ByteRow {
  const b = (text: string) => Buffer.from(text, 'utf8');
  return {
    position: b('7'), event_id: b('e'), stream_id: b('s'), stream_version: b('1'), type: b('MessagePosted'), schema_version: b('4'),
    data: b(data), metadata: b('{}'), recorded_at: b('0'), hash: b('h'), content: content === null ? null : b(content), erasure_key: erasureKey === null ? null : b(erasureKey), odd: b('0'),
  };
}

/** What a check found after one row, and where it stands. */
function outcome(push: (check: ErasureCheck) => unknown) {
  const check = new ErasureCheck();
  const finding = push(check);
  return { finding, counts: check.counts, state: check.state(), end: check.end() };
}

const cases = Object.keys(datas).flatMap((data) => Object.keys(contents).flatMap((content) => Object.keys(keys).map((key) => [data, content, key] as const)));

describe('the erasable entry read from the data text', () => {
  it.each(cases)('data %s, content %s, erasure key %s: the quick paths find what parsing finds', (dataName, contentName, keyName) => {
    const data = datas[dataName]!;
    const content = contents[contentName]!;
    const key = keys[keyName]!;
    const parsed = outcome((check) => check.pushRow(eventRow(JSON.parse(data) as object, content, key)));
    expect(outcome((check) => check.pushRow(eventRow(data, content, key)))).toEqual(parsed);
    expect(outcome((check) => check.pushBytes(byteRow(data, content, key)))).toEqual(parsed);
  });

  it('passes a stored message, and keeps erased content pending until an erasure of its key', () => {
    expect(outcome((check) => check.pushBytes(byteRow(DATA, CONTENT, KEY)))).toMatchObject({ finding: undefined, counts: { erased: 0 } });
    const check = new ErasureCheck();
    expect(check.pushBytes(byteRow(DATA, null, KEY))).toBeUndefined();
    expect(check.end()).toMatchObject({ kind: 'unauthorised-erasure', position: 7 });
    expect(check.pushRow({ ...eventRow('{"erases":"message:m1","messageId":"m1"}', null, null), position: 9 })).toBeUndefined();
    expect(check.end()).toBeUndefined();
    expect(check.counts).toEqual({ erased: 1, erasing: 1 });
  });
});
