/**
 * DateTime (RFC 3339, always in UTC with milliseconds), Position (a log
 * position as a decimal string) and JSON. Each names the document that
 * specifies it (`specifiedByURL`), so clients and code generators can map
 * it to a type without guessing.
 */
import { GraphQLError, type ValueNode, Kind } from 'graphql';
import { builder } from './builder.ts';

/** The published DateTime scalar spec: RFC 3339 `date-time`, exactly three fractional digits, an offset (never `-00:00`). */
export const DATE_TIME_SPEC = 'https://scalars.graphql.org/andimarek/date-time';
export const JSON_SPEC = 'https://www.rfc-editor.org/rfc/rfc8259';
/**
 * Served by Thrds itself (docs/scalars/position.md), resolved against the
 * GraphQL endpoint's origin: the spec a client reads is the one of the
 * server it talks to, it works offline and wherever the code is hosted.
 */
export const POSITION_SPEC = '/scalars/position';

function badInput(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT' } });
}

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})\.(\d{3})(?:[Zz]|([+-])(\d{2}):(\d{2}))$/;

/** Milliseconds since the epoch for an RFC 3339 date-time as the DateTime spec allows it, or NaN. */
export function parseDateTime(text: string): number {
  const match = DATE_TIME.exec(text);
  if (!match) return Number.NaN;
  const [year, month, day, hour, minute, second, millis] = match.slice(1, 8).map(Number) as [number, number, number, number, number, number, number];
  const [sign, offsetHours, offsetMinutes] = [match[8], Number(match[9] ?? 0), Number(match[10] ?? 0)];
  if (sign === '-' && offsetHours === 0 && offsetMinutes === 0) return Number.NaN; // "unknown offset": the spec drops it
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  // A leap second (:60) cannot be held as epoch milliseconds; refusing it beats shifting it.
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth || hour > 23 || minute > 59 || second > 59 || offsetHours > 23 || offsetMinutes > 59) return Number.NaN;
  const local = Date.UTC(year, month - 1, day, hour, minute, second, millis);
  const offset = (sign === '-' ? -1 : 1) * (offsetHours * 60 + offsetMinutes) * 60_000;
  // Date.UTC maps years 0–99 to 1900–1999; setUTCFullYear puts them back.
  const exact = new Date(local);
  exact.setUTCFullYear(year);
  return exact.getTime() - offset;
}

function dateTimeInput(value: unknown): number {
  const ms = typeof value === 'string' ? parseDateTime(value) : Number.NaN;
  if (Number.isNaN(ms)) throw badInput('DateTime must be an RFC 3339 date-time with milliseconds and an offset, e.g. "2026-01-31T09:30:00.000Z"');
  return ms;
}

builder.scalarType('DateTime', {
  description: 'An instant as an RFC 3339 date-time, always in UTC with exactly three fractional digits, e.g. "2026-01-31T09:30:00.000Z". As input, any offset is accepted ("2026-01-31T10:30:00.000+01:00").',
  specifiedByURL: DATE_TIME_SPEC,
  serialize: (ms) => new Date(ms).toISOString(),
  parseValue: dateTimeInput,
  parseLiteral: (node: ValueNode) => {
    if (node.kind === Kind.STRING) return dateTimeInput(node.value);
    throw badInput('DateTime must be a string literal');
  },
});

export function parsePosition(value: unknown): number {
  const text = typeof value === 'number' ? String(value) : value;
  if (typeof text !== 'string' || !/^(0|[1-9][0-9]{0,15})$/.test(text) || !Number.isSafeInteger(Number(text))) {
    throw badInput('Position must be a non-negative integer as a decimal string, e.g. "42"');
  }
  return Number(text);
}

builder.scalarType('Position', {
  description:
    'A global position in the event log, as a decimal string ("42"): an integer from 0 to 2^53 − 1, without sign or leading zeros. Positions are gap-free and in commit order; `after: "0"` means from the beginning. Integer literals are accepted as input too.',
  specifiedByURL: POSITION_SPEC,
  serialize: (position) => String(position),
  parseValue: parsePosition,
  parseLiteral: (node: ValueNode) => {
    if (node.kind === Kind.STRING || node.kind === Kind.INT) return parsePosition(node.value);
    throw badInput('Position must be a string or an integer literal');
  },
});

builder.scalarType('JSON', {
  description: 'Any JSON value (RFC 8259), as it is: an object, array, string, number, boolean or null.',
  specifiedByURL: JSON_SPEC,
  serialize: (value) => value,
  parseValue: (value) => value,
});
