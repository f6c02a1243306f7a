import { tempDir } from '../testutil/tmp';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { findJava, JavaNotFoundError, parseJavaMajor } from '../java';

/** A fake JDK whose bin/java prints `java -version` output for the given version string to stderr. */
function fakeJdk(root: string, name: string, version: string): string {
  const home = path.join(root, name);
  fs.mkdirSync(path.join(home, 'bin'), { recursive: true });
  const java = path.join(home, 'bin', 'java');
  fs.writeFileSync(java, `#!/bin/sh\necho 'openjdk version "${version}" 2025-04-15' >&2\n`, { mode: 0o755 });
  return home;
}

test('parseJavaMajor reads old and new version strings', () => {
  assert.equal(parseJavaMajor('openjdk version "17.0.15" 2025-04-15'), 17);
  assert.equal(parseJavaMajor('java version "1.8.0_392"'), 8);
  assert.equal(parseJavaMajor('openjdk version "21" 2023-09-19'), 21);
  assert.equal(parseJavaMajor('openjdk version "25-ea" 2025-09-16'), 25);
  assert.equal(parseJavaMajor('no java here'), undefined);
});

test('the podnet.java.home setting wins over JAVA_HOME and PATH', { skip: process.platform === 'win32' }, async () => {
  const tmp = tempDir('podnet-java-');
  const setting = fakeJdk(tmp, 'jdk21', '21.0.2');
  const javaHome = fakeJdk(tmp, 'jdk17', '17.0.15');
  const j = await findJava(setting, { PATH: '/nonexistent', JAVA_HOME: javaHome });
  assert.equal(j.source, 'podnet.java.home');
  assert.equal(j.major, 21);
  assert.equal(j.executable, path.join(setting, 'bin', 'java'));
});

test('a too old JAVA_HOME falls through to java on PATH', { skip: process.platform === 'win32' }, async () => {
  const tmp = tempDir('podnet-java-');
  const old = fakeJdk(tmp, 'jdk11', '11.0.22');
  const onPath = fakeJdk(tmp, 'jdk17', '17.0.15');
  const j = await findJava(undefined, { PATH: path.join(onPath, 'bin'), JAVA_HOME: old });
  assert.equal(j.source, 'PATH');
  assert.equal(j.major, 17);
});

test('no Java 17+ anywhere gives one clear message naming every candidate', { skip: process.platform === 'win32' },
  async () => {
    const tmp = tempDir('podnet-java-');
    const old = fakeJdk(tmp, 'jdk8', '1.8.0_392');
    await assert.rejects(findJava(path.join(tmp, 'missing'), { PATH: path.join(old, 'bin'), JAVA_HOME: old }),
      (e: Error) => {
        assert.ok(e instanceof JavaNotFoundError);
        assert.match(e.message, /podnet\.java\.home: .*missing.* does not exist/);
        assert.match(e.message, /JAVA_HOME: .* is Java 8; podnet needs Java 17 or newer/);
        assert.match(e.message, /PATH: /);
        return true;
      });
  });
