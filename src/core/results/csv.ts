// CSV text as RFC 4180 writes it, so spreadsheets and pandas read the results table back exactly:
// fields separated by commas, records by CRLF; a field holding a comma, a quote, CR, LF, or
// leading/trailing spaces is quoted, and quotes inside it doubled. The parser reads the same
// dialect (LF-only line ends too) and exists so the writer can be checked by a round trip.

const NEEDS_QUOTES = /[",\r\n]|^\s|\s$/;

export function csvField(value: string): string {
  return NEEDS_QUOTES.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** Rows of fields as CSV text, each record ended by CRLF. */
export function toCsv(rows: readonly (readonly string[])[]): string {
  return rows.map((row) => `${row.map(csvField).join(',')}\r\n`).join('');
}

/** Parses CSV text (as toCsv writes it) into rows of fields; throws on an unclosed quote. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let i = 0;
  const endField = () => {
    row.push(field);
    field = '';
  };
  while (i < text.length) {
    const char = text[i]!;
    if (char === '"' && field === '') {
      const start = i;
      i++;
      for (;;) {
        if (i >= text.length) throw new SyntaxError(`CSV: the quote opened at character ${start} is never closed`);
        if (text[i] === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        field += text[i++];
      }
    } else if (char === ',') {
      endField();
      i++;
    } else if (char === '\r' || char === '\n') {
      endField();
      rows.push(row);
      row = [];
      i += char === '\r' && text[i + 1] === '\n' ? 2 : 1;
    } else {
      field += char;
      i++;
    }
  }
  if (field !== '' || row.length > 0) {
    endField();
    rows.push(row);
  }
  return rows;
}
