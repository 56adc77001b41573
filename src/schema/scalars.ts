/** DateTime (ISO-8601), Position (a decimal string) and JSON. */
import { GraphQLError, type ValueNode, Kind } from 'graphql';
import { builder } from './builder.ts';

function badInput(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT' } });
}

builder.scalarType('DateTime', {
  description: 'An instant as an ISO-8601 string in UTC, with milliseconds.',
  serialize: (ms) => new Date(ms).toISOString(),
  parseValue: (value) => {
    const ms = typeof value === 'string' ? Date.parse(value) : Number.NaN;
    if (Number.isNaN(ms)) throw badInput('DateTime must be an ISO-8601 string');
    return ms;
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
  description: 'A global position in the event log, as a decimal string. Positions are gap-free and in commit order.',
  serialize: (position) => String(position),
  parseValue: parsePosition,
  parseLiteral: (node: ValueNode) => {
    if (node.kind === Kind.STRING || node.kind === Kind.INT) return parsePosition(node.value);
    throw badInput('Position must be a string or an integer literal');
  },
});

builder.scalarType('JSON', {
  description: 'Any JSON value.',
  serialize: (value) => value,
  parseValue: (value) => value,
});
