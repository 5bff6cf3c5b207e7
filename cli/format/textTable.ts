// Renders rows as an aligned plain-text table: a header, the rows, and an optional totals row below
// a rule. Columns are separated by two spaces; numbers line up on the right. No trailing spaces.
export interface TableColumn {
  header: string;
  align?: 'left' | 'right';
}

export interface TableOptions {
  /** Spaces before every line. */
  indent?: number;
  /** A last row (totals) set off from the others by a rule. */
  footer?: readonly string[];
  /** Leave the header out (for key–value lists). */
  headerless?: boolean;
}

export function renderTable(columns: readonly TableColumn[], rows: readonly (readonly string[])[], options: TableOptions = {}): string {
  const { indent = 2, footer, headerless = false } = options;
  const all = [...(headerless ? [] : [columns.map((c) => c.header)]), ...rows, ...(footer ? [footer] : [])];
  const widths = columns.map((_, i) => Math.max(0, ...all.map((row) => (row[i] ?? '').length)));
  const pad = ' '.repeat(indent);
  const line = (row: readonly string[]) =>
    pad +
    columns
      .map((column, i) => {
        const cell = row[i] ?? '';
        return column.align === 'right' ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!);
      })
      .join('  ')
      .trimEnd();
  const rule = pad + widths.map((w) => '-'.repeat(w)).join('  ');
  const lines = [
    ...(headerless ? [] : [line(columns.map((c) => c.header))]),
    ...rows.map(line),
    ...(footer ? [rule, line(footer)] : []),
  ];
  return `${lines.join('\n')}\n`;
}
