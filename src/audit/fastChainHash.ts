/**
 * The chain hash of `hashChain.ts`, computed faster for bulk checks: the
 * canonical form is written straight into one string (the nine top-level
 * keys in their sorted order, nested values through a lean canonical
 * serializer) and hashed in one call. It must give exactly `chainHash`'s
 * answer; `hashFunctionFor` checks that on the first event it sees and keeps
 * the reference function if the two ever disagree.
 */
import { hash } from 'node:crypto';
import { chainHash, type HashableEvent } from '../events/hashChain.ts';

export type ChainHashFn = (previousHash: string, event: HashableEvent) => string;

function canonical(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) throw new TypeError('canonicalJson: non-finite number');
    if (value === undefined) throw new TypeError('canonicalJson: undefined has no JSON form');
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i += 1) {
      if (i > 0) out += ',';
      const item: unknown = value[i];
      out += canonical(item ?? null);
    }
    return `${out}]`;
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  let out = '{';
  let first = true;
  for (const key of keys) {
    const item = record[key];
    if (item === undefined) continue;
    out += `${first ? '' : ','}${JSON.stringify(key)}:${canonical(item)}`;
    first = false;
  }
  return `${out}}`;
}

export const fastChainHash: ChainHashFn = (previousHash, e) =>
  hash(
    'sha256',
    `${previousHash}\n{"data":${canonical(e.data)},"eventId":${JSON.stringify(e.eventId)},"metadata":${canonical(e.metadata)},"position":${canonical(e.position)}` +
      `,"recordedAt":"${new Date(e.recordedAt).toISOString()}","schemaVersion":${canonical(e.schemaVersion)},"streamId":${JSON.stringify(e.streamId)}` +
      `,"streamVersion":${canonical(e.streamVersion)},"type":${JSON.stringify(e.type)}}`,
  );

/** The fast function when it agrees with the reference on `sample`, else the reference. */
export function hashFunctionFor(previousHash: string, sample: HashableEvent): ChainHashFn {
  return fastChainHash(previousHash, sample) === chainHash(previousHash, sample) ? fastChainHash : chainHash;
}
