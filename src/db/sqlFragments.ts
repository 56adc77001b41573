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
