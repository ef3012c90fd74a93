import { buildJimdoOrderMail, JIMDO_MAIL_VARIANTS } from '../src';
import { flow, hardWrap } from '../src/mime';

describe('mail-sender: format=flowed (Thunderbird, Apple Mail) and hard-wrapped plain text (Outlook, Gmail)', () => {
  it('breaks long lines after a space at 72 characters; joining the soft breaks gives the text back', () => {
    const long = `Artikel: ${'Bio-Baumwoll-Shirt mit Rundhalsausschnitt, '.repeat(4)}Größe L`;
    const flowed = flow(`${long}\n> zitiert\nkurz`).split('\n');
    expect(flowed.length).toBeGreaterThan(4);
    for (const line of flowed) expect(line.length).toBeLessThanOrEqual(72);
    const soft = flowed.filter((l) => l.endsWith(' '));
    expect(soft.length).toBeGreaterThan(1);
    expect(flowed).toContain(' > zitiert');
    // What a reader does (RFC 3676 4.2): a line ending in a space continues on the next one.
    expect(flowed.join('\n').replace(/ \n/g, ' ').split('\n')[0]).toBe(long);
  });

  it('the flowed variants say so in their Content-Type and carry soft breaks', () => {
    const variant = JIMDO_MAIL_VARIANTS.find((v) => v.flowed && v.transferEncoding !== 'base64')!;
    const raw = buildJimdoOrderMail(variant).raw.toString('latin1');
    expect(raw).toMatch(/text\/plain; charset=UTF-8; format=flowed/);
    expect(raw).toMatch(/=20\r\n/); // a soft break's trailing space, quoted-printable
  });

  it('hard-wrapped variants break long lines for real at their width, without format=flowed', () => {
    const wrapped = JIMDO_MAIL_VARIANTS.filter((v) => v.wrap && v.longLines && v.form === 'text' && v.transferEncoding !== 'base64');
    expect(wrapped.length).toBeGreaterThan(0);
    for (const variant of wrapped) {
      const raw = buildJimdoOrderMail(variant).raw.toString('latin1');
      expect(raw).toMatch(/text\/plain; charset=UTF-8\r\n/);
      expect(raw).not.toMatch(/format=flowed/);
      expect(raw).toMatch(/=\r\n/); // quoted-printable soft breaks where umlauts make a line longer than 76
    }
    const lines = hardWrap(`${'Bio-Baumwoll-Shirt mit Rundhalsausschnitt, '.repeat(3)}Größe L\nkurz`, 76).split('\n');
    expect(lines.length).toBeGreaterThan(2);
    for (const line of lines) {
      expect(line.length).toBeLessThanOrEqual(76);
      expect(line).not.toMatch(/ $/); // nothing marks the break
    }
  });
});
