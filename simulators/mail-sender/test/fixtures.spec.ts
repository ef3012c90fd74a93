import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeJimdoFixtures } from '../src';

const FIXTURES = join(__dirname, '..', 'fixtures');

/** `MAIL_SENDER_UPDATE_FIXTURES=1 npx jest simulators/mail-sender/test/fixtures` rewrites them. */
describe('mail-sender: fixtures', () => {
  it('the committed fixtures are what the generators produce today', () => {
    if (process.env.MAIL_SENDER_UPDATE_FIXTURES === '1') writeJimdoFixtures(FIXTURES);
    const dir = mkdtempSync(join(tmpdir(), 'jimdo-fixtures-'));
    try {
      const written = writeJimdoFixtures(dir).sort();
      expect(
        readdirSync(FIXTURES)
          .filter((n) => !n.startsWith('.'))
          .sort(),
      ).toEqual(written);
      for (const name of written) expect(readFileSync(join(FIXTURES, name)).equals(readFileSync(join(dir, name)))).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
