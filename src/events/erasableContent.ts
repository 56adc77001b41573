/**
 * Erasable content: the fields of an event that a later event may erase (a
 * message's text). They are stored beside the hashed `data`, which holds
 * only a salted SHA-256 digest of them, so erasing them (content set to
 * NULL) leaves every hash of the chain as it was. README, "Deletion that
 * erases".
 *
 *   stored data  = data without the fields + { erasable: { key, fields, digest } }
 *   content text = canonicalJson({ fields: <the fields>, salt })
 *   digest       = sha256(content text)
 *
 * The salt (128 random bits) is erased with the text, so the digest left in
 * the log cannot be matched against guesses of a short message.
 */
import { hash, randomBytes } from 'node:crypto';
import { ValidationError } from '../errors.ts';
import { canonicalJson } from './canonicalJson.ts';
import type { ErasableContent, ErasableSpec, StoredEvent } from './types.ts';

/** What the hashed data records of its erasable content. */
export interface StoredErasable {
  readonly key: string;
  readonly fields: readonly string[];
  /** SHA-256 (hex) of the content's canonical JSON text. */
  readonly digest: string;
}

/**
 * The request hash an idempotency key keeps once the events it wrote are
 * erased: the original was an unsalted hash of the request, text included.
 * A retry under the key is still a duplicate (planAppends).
 */
export const ERASED_REQUEST_HASH = 'erased';

/** Erasure keys fit the erasure_key column (VARCHAR(128) ascii). */
const KEY = /^[\x21-\x7e]{1,128}$/;

export function isErasureKey(key: string): boolean {
  return KEY.test(key);
}

export function contentDigest(contentJson: string): string {
  return hash('sha256', contentJson);
}

/** The `erasable` entry of stored data, when it has a well-formed one. */
export function erasableOf(data: Readonly<Record<string, unknown>>): StoredErasable | undefined {
  const value = data.erasable;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const { key, fields, digest } = value as Record<string, unknown>;
  if (typeof key !== 'string' || typeof digest !== 'string' || !Array.isArray(fields) || !fields.every((f) => typeof f === 'string')) return undefined;
  return { key, fields: fields as string[], digest };
}

/** The key whose content an event erases (`data.erases`), if it erases any. */
export function erasesOf(data: Readonly<Record<string, unknown>>): string | undefined {
  return typeof data.erases === 'string' ? data.erases : undefined;
}

/** Refuses a spec or an `erases` the log could not store or find again. */
export function checkErasable(type: string, data: Readonly<Record<string, unknown>>, spec: ErasableSpec | undefined): Error | undefined {
  const erases = data.erases;
  if (erases !== undefined && (typeof erases !== 'string' || !KEY.test(erases))) return new ValidationError(`${type}: erases must be a key of 1-128 printable ASCII characters`);
  if (!spec) return undefined;
  if (!KEY.test(spec.key)) return new ValidationError(`${type}: an erasure key must be 1-128 printable ASCII characters`);
  if ('erasable' in data) return new ValidationError(`${type}: data with erasable content cannot hold a field named erasable`);
  if (spec.fields.length === 0 || spec.fields.some((f) => !(f in data))) return new ValidationError(`${type}: every erasable field must be in the data`);
  return undefined;
}

/** Splits an event's data into what is hashed and what is stored apart (see the header). */
export function splitErasable(
  data: Readonly<Record<string, unknown>>,
  spec: ErasableSpec,
  salt: string,
): { readonly data: Readonly<Record<string, unknown>>; readonly content: ErasableContent; readonly contentJson: string } {
  const kept: Record<string, unknown> = {};
  const fields: Record<string, unknown> = {};
  const erasable = new Set(spec.fields);
  for (const [name, value] of Object.entries(data)) (erasable.has(name) ? fields : kept)[name] = value;
  const content: ErasableContent = { fields, salt };
  const contentJson = canonicalJson(content);
  kept.erasable = { key: spec.key, fields: [...spec.fields], digest: contentDigest(contentJson) };
  return { data: kept, content, contentJson };
}

/**
 * An event in the shape the rest of Thrds reads (before upcasting): the
 * content fields back in `data`, or '' each once erased (with `erased`).
 * Events without erasable content come back as they are, less `content`.
 */
export function withContentInPlace(event: StoredEvent): StoredEvent {
  const erasable = erasableOf(event.data);
  const { content, ...rest } = event;
  if (!erasable) return content === undefined ? event : rest;
  const data: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(event.data)) if (name !== 'erasable') data[name] = value;
  const erasure: ErasableSpec = { key: erasable.key, fields: erasable.fields };
  if (content) {
    for (const field of erasable.fields) data[field] = content.fields[field];
    return { ...rest, data, erasure };
  }
  for (const field of erasable.fields) data[field] = '';
  return { ...rest, data, erased: true, erasure };
}

/**
 * A copy of an event held in memory (today's shape) as it reads once its
 * content is erased: what a cache of events must hold after the erasing
 * event for their key arrives.
 */
export function asErased(event: StoredEvent): StoredEvent {
  if (!event.erasure || event.erased) return event;
  const data: Record<string, unknown> = { ...event.data };
  for (const field of event.erasure.fields) data[field] = '';
  return { ...event, data, erased: true };
}

/** Blanks, in events held in memory, the content erased by any of `arriving` (a new page of the log). */
export function withErasuresApplied(held: StoredEvent[], arriving: readonly StoredEvent[]): StoredEvent[] {
  const keys = new Set(arriving.flatMap((event) => erasesOf(event.data) ?? []));
  if (keys.size === 0) return held;
  return held.map((event) => (event.erasure && keys.has(event.erasure.key) ? asErased(event) : event));
}

/** The content column's text parsed, checked for its shape. */
export function parseContent(text: string): ErasableContent {
  const value: unknown = JSON.parse(text);
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new TypeError('erasable content must be an object');
  const { fields, salt } = value as Record<string, unknown>;
  if (fields === null || typeof fields !== 'object' || Array.isArray(fields) || typeof salt !== 'string') {
    throw new TypeError('erasable content must be {"fields": {…}, "salt": "…"}');
  }
  return { fields: fields as Record<string, unknown>, salt };
}

/**
 * Salts: 16 random bytes each as 32 lowercase hex digits, cut from a pool
 * refilled 256 salts at a time, so a post costs no system call of its own.
 */
export function saltSource(): () => string {
  const SIZE = 16;
  let pool = Buffer.alloc(0);
  let at = 0;
  return () => {
    if (at + SIZE > pool.length) {
      pool = randomBytes(SIZE * 256);
      at = 0;
    }
    at += SIZE;
    return pool.toString('hex', at - SIZE, at);
  };
}
