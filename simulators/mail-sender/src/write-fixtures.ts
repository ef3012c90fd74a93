import { join } from 'node:path';
import { writeJimdoFixtures } from './fixtures';

/** `npx ts-node`-free: run with `node dist/write-fixtures.js` or through the fixtures test. */
const dir = process.argv[2] ?? join(__dirname, '..', 'fixtures');
const written = writeJimdoFixtures(dir);
process.stdout.write(`wrote ${written.length} files to ${dir}\n`);
