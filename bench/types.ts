/** The shape every benchmark module reports in, so `bench/run.ts` can print one table. */
export interface BenchRow {
  /** e.g. 'append via GraphQL, MariaDB, 16 clients' */
  readonly name: string;
  readonly value: number;
  /** e.g. 'msg/s', 'ms', 'µs/delivery', 'KiB/conn', 'events/s' */
  readonly unit: string;
  /** The baseline measured in the same run, in the same unit. */
  readonly baseline?: { readonly name: string; readonly value: number };
  /** value ÷ baseline.value (or as the module defines and says in `note`). */
  readonly ratio?: number;
  /** Target and verdict, client saturation, anything a reader needs. */
  readonly note?: string;
}

export interface BenchOptions {
  /** Smoke-sized run for CI: proves the bench runs, not its numbers. */
  readonly quick: boolean;
  /** MariaDB server URL without a database name, e.g. mysql://root@127.0.0.1:3306 */
  readonly mysqlUrl: string;
}

export type BenchModule = (options: BenchOptions) => Promise<BenchRow[]>;
