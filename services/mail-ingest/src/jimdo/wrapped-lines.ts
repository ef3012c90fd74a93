/**
 * Plain text sent without format=flowed is hard-wrapped by the sender's client: a line longer than
 * the client's width is broken at its last space, and nothing marks the break (Outlook wraps at 76,
 * Gmail at 78, Thunderbird with flowed off and mutt at 72). A break can only have been made where the
 * next line's first word did not fit any more, so a line that still had room for it ended on purpose.
 */
export const NARROWEST_WRAP_WIDTH = 72;

const firstWord = (line: string) => line.trim().split(/\s/, 1)[0] ?? '';

/** `line` may have been broken before `next` by a client's wrap (`next`'s first word would not have fit). */
export function mayBeWrapped(line: string, next: string | undefined): boolean {
  if (!next?.trim()) return false;
  return line.trimEnd().length + 1 + firstWord(next).length > NARROWEST_WRAP_WIDTH;
}

/**
 * Lines of one block (an address, a comment) with the client's breaks joined again; `keepApart`
 * names lines that are never a continuation (a contact line such as "E-Mail: …").
 */
export function joinWrapped(lines: string[], keepApart: (line: string) => boolean = () => false): string[] {
  const out: string[] = [];
  let physical: string | undefined; // the line as sent: only its own length tells whether it was broken
  for (const line of lines) {
    const previous = out[out.length - 1];
    if (previous !== undefined && !keepApart(line) && !keepApart(previous) && mayBeWrapped(physical ?? '', line)) {
      out[out.length - 1] = `${previous.trimEnd()} ${line.trim()}`;
    } else {
      out.push(line);
    }
    physical = line;
  }
  return out;
}

/**
 * Rows of a `|` table with the client's breaks joined again: a row with fewer cells than the header,
 * or a line without any `|` where the row before may have been wrapped, is the rest of that row.
 * `ends` names lines that are no row (separators, totals).
 */
export function joinWrappedRows(lines: string[], columns: number, ends: (line: string) => boolean): string[] {
  const out: string[] = [];
  let physical = '';
  for (const line of lines) {
    const previous = out[out.length - 1];
    const continues =
      previous !== undefined &&
      previous.trim() !== '' &&
      !ends(previous) &&
      line.trim() !== '' &&
      !ends(line) &&
      (cellCount(previous) < columns || (!line.includes('|') && mayBeWrapped(physical, line)));
    if (continues) out[out.length - 1] = `${previous.trimEnd()} ${line.trim()}`;
    else out.push(line);
    physical = line;
  }
  return out;
}

const cellCount = (line: string) => line.split('|').length;
