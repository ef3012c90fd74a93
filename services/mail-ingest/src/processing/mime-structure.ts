/**
 * What is structurally wrong with a raw message, in words a merchant can act on. The MIME parser
 * (postal-mime) is lenient and reads a broken message as an empty or garbled body, which the order
 * parser would then report as a missing field; this names the real cause instead.
 */
export function mimeProblems(raw: Buffer): string[] {
  const text = raw.toString('latin1');
  const problems: string[] = [];
  if (!/\r?\n\r?\n/.test(text)) problems.push('the message has no blank line between header and body');
  const contentTypes = [...text.matchAll(/^Content-Type:[ \t]*([^\r\n]*(?:\r?\n[ \t][^\r\n]*)*)/gim)].map((m) =>
    m[1]!.replace(/\r?\n[ \t]+/g, ' '),
  );
  for (const ct of contentTypes) {
    if (!/^\s*multipart\//i.test(ct)) continue;
    const boundary = /boundary\s*=\s*(?:"([^"]+)"|([^\s;]+))/i.exec(ct);
    const value = boundary?.[1] ?? boundary?.[2];
    if (!value) {
      problems.push(`a multipart part declares no boundary (Content-Type: ${ct.slice(0, 80)})`);
      continue;
    }
    const delimiter = `--${value}`;
    const lines = text.split(/\r?\n/);
    if (!lines.some((l) => l.startsWith(delimiter) && !l.startsWith(`${delimiter}--`)))
      problems.push(`the multipart boundary "${value}" never occurs in the body`);
    else if (!lines.some((l) => l.startsWith(`${delimiter}--`)))
      problems.push(`the multipart boundary "${value}" is never closed (truncated message?)`);
  }
  return problems;
}
