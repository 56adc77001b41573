/** What the event store tells whoever measures it (observability/metrics.ts): each append's answer and each group's transaction. */
import type { AppendResult } from './eventStore.ts';

export interface AppendObserver {
  /** An append was answered after `seconds`: with its result, or with the error it failed with. */
  appended(seconds: number, outcome: { readonly result: AppendResult } | { readonly error: unknown }): void;
  /** A group of `size` appends ran its transaction for `seconds`; `failed` when it did not commit. */
  group(size: number, seconds: number, failed: boolean): void;
}
