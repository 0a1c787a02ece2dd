/**
 * csv.js — parse CSV text (RFC 4180) into rows of strings: fields separated by commas (or by
 * semicolons, when the header row has more of them, as spreadsheets in many locales write),
 * optionally quoted with "…" ("" is a quote inside quotes; quoted fields may span lines), rows
 * ended by LF or CRLF. A byte-order mark is dropped; blank lines are skipped.
 *
 * parseCsv(text) → { rows: string[][], lines: number[] } (`lines[i]`: the line row i starts on),
 * or throws CsvError naming the line of a quote left open.
 */

export class CsvError extends Error {
  constructor(message, line) {
    super(message);
    this.name = 'CsvError';
    this.line = line;
  }
}

function separatorOf(text) {
  const header = text.slice(0, text.search(/\r?\n|$/));
  const count = (char) => header.split(char).length - 1;
  return count(';') > count(',') ? ';' : ',';
}

export function parseCsv(input) {
  const text = String(input).replace(/^\uFEFF/, '');
  const separator = separatorOf(text);
  const rows = [];
  const lines = [];
  let row = [];
  let field = '';
  let quoted = false; // inside "…"
  let line = 1;
  let rowLine = 1;
  let touched = false; // the current row has content (a blank line has none)

  const endField = () => {
    row.push(field);
    field = '';
  };
  const endRow = () => {
    endField();
    if (touched) {
      rows.push(row);
      lines.push(rowLine);
    }
    row = [];
    touched = false;
  };

  for (let i = 0; i < text.length; i += 1) {
    const char = text[i];
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (char === '"') {
        quoted = false;
      } else {
        if (char === '\n') line += 1;
        field += char;
      }
      continue;
    }
    if (char === '"' && field === '') {
      quoted = true;
      touched = true;
    } else if (char === separator) {
      endField();
      touched = true;
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && text[i + 1] === '\n') i += 1;
      endRow();
      line += 1;
      rowLine = line;
    } else {
      if (!touched) rowLine = line;
      field += char;
      touched = true;
    }
  }
  if (quoted) throw new CsvError(`A quote opened on line ${rowLine} is never closed.`, rowLine);
  endRow();
  return { rows, lines };
}
