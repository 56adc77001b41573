/**
 * The numbers of the public API's limits, in one file with no imports so
 * that the server (src/input/limits.ts, the schema's descriptions) and the
 * web app (its length counters) read the same values: a limit changed here
 * changes what is checked, what is documented and what the forms allow.
 * Lengths count Unicode code points after NFC and trimming.
 */

export const LIMITS = {
  title: { min: 1, max: 200 },
  body: { min: 1, max: 4000 },
  username: { min: 3, max: 32 },
  password: { min: 8, max: 1024 },
  displayName: { min: 1, max: 64 },
  idempotencyKey: { min: 1, max: 128 },
  /** deleteMessage's optional reason (blank is none). */
  deleteReason: { min: 0, max: 500 },
} as const;

/** How many items a page holds when the client does not say (`default`), and at most (`max`). */
export const PAGE_SIZES = {
  messages: { default: 50, max: 500 },
  threads: { default: 20, max: 100 },
  events: { default: 100, max: 1000 },
} as const;

export type PageSizes = (typeof PAGE_SIZES)[keyof typeof PAGE_SIZES];

/** A limit as the schema's descriptions write it: `1–4000`, `8–1,024`. */
export function range({ min, max }: { readonly min: number; readonly max: number }): string {
  return `${min.toLocaleString('en-US')}–${max.toLocaleString('en-US')}`;
}
