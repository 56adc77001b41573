/**
 * The composer's character counter, counted as the server counts
 * (src/input/limits.ts): Unicode code points after NFC and trimming, so an
 * emoji of two UTF-16 units is one character, and "é" typed as e + accent is
 * one. Quiet until the text nears the limit, then a warning, then "too long".
 */

/** From this share of the limit on, the count is shown. */
export const nearLimitShare = 0.9;

export type CounterState = 'quiet' | 'near' | 'over';

export function bodyLength(text: string): number {
  let count = 0;
  for (const _ of text.normalize('NFC').trim()) count++;
  return count;
}

export function counterState(length: number, max: number): CounterState {
  if (length > max) return 'over';
  return length >= Math.ceil(max * nearLimitShare) ? 'near' : 'quiet';
}

/** "3,650 / 4,000 characters", in the viewer's number format. */
export function counterText(length: number, max: number, state: CounterState): string {
  const count = `${length.toLocaleString()} / ${max.toLocaleString()} characters`;
  if (state === 'over') return `${count}: ${(length - max).toLocaleString()} too many to send.`;
  return `${count}: ${(max - length).toLocaleString()} left.`;
}
