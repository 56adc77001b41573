/** Placeholder lists for parameterised SQL: values never enter the text. */

/** `(?, ?, …), (?, ?, …)` for a multi-row INSERT. */
export function valuesList(columns: number, rows: number): string {
  const row = `(${new Array(columns).fill('?').join(', ')})`;
  return new Array(rows).fill(row).join(', ');
}

/** `?, ?, …` for an IN list. */
export function inList(values: readonly unknown[]): string {
  return values.map(() => '?').join(', ');
}

/**
 * Rows per `UPDATE … SET x = CASE id WHEN ? THEN ? … END WHERE id IN (…)`.
 * Each row updated walks its column's `WHEN` list in turn, so one statement
 * over n rows costs n² comparisons: a rebuild page touching 1,000 threads
 * spent a quarter of the rebuild there.
 */
export const CASE_UPDATE_ROWS = 50;
