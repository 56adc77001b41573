/**
 * Global log positions arrive as decimal strings (they may outgrow a double),
 * so they are compared as bigints.
 */
export type Position = string;

/** Before the first event: `after: logStart` replays the whole log. */
export const logStart: Position = '0';

export function comparePositions(a: Position, b: Position): number {
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

export function isAfter(a: Position, b: Position | null): boolean {
  return b === null || comparePositions(a, b) > 0;
}

export function maxPosition(a: Position | null, b: Position | null): Position | null {
  if (a === null) return b;
  if (b === null) return a;
  return comparePositions(a, b) >= 0 ? a : b;
}
