import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const made: string[] = [];

// Every temporary directory a test makes is removed when the test process exits.
process.on('exit', () => {
  for (const dir of made) {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

/** A new temporary directory (removed at exit). */
export function tempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  made.push(dir);
  return dir;
}
