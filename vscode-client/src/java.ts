// Finding a Java 17+ runtime for the podnet server, without VS Code APIs (so it runs under node --test).
import { execFile } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

/** The Java release the podnet jar is compiled for (class file version 61). */
export const MIN_JAVA = 17;

/** A Java runtime that was found and checked. */
export interface JavaRuntime {
  /** Absolute path of the java executable, or "java" when found on PATH. */
  executable: string;
  /** Major release, e.g. 17 or 21. */
  major: number;
  /** Where it came from: the podnet.java.home setting, JAVA_HOME, or PATH. */
  source: 'podnet.java.home' | 'JAVA_HOME' | 'PATH';
}

/** Thrown when no candidate is a Java 17+ runtime; the message lists what was tried and why each failed. */
export class JavaNotFoundError extends Error {}

/**
 * Parses the major release from `java -version` output (written to stderr), e.g.
 * `openjdk version "17.0.15" 2025-04-15` -> 17, `java version "1.8.0_392"` -> 8, `openjdk version "21" ...` -> 21.
 * Returns undefined when no version string is present.
 */
export function parseJavaMajor(versionOutput: string): number | undefined {
  const m = /version "(\d+)(?:\.(\d+))?[^"]*"/.exec(versionOutput);
  if (!m) {
    return undefined;
  }
  const first = Number(m[1]);
  return first === 1 && m[2] !== undefined ? Number(m[2]) : first;
}

function javaIn(home: string): string {
  return path.join(home, 'bin', process.platform === 'win32' ? 'java.exe' : 'java');
}

function runVersion(executable: string, env: NodeJS.ProcessEnv, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(executable, ['-version'], { env, timeout: timeoutMs, windowsHide: true }, (err, stdout, stderr) => {
      if (err) {
        reject(err);
      } else {
        resolve(`${stderr}\n${stdout}`);
      }
    });
  });
}

/**
 * Finds Java 17+: the `podnet.java.home` setting, then `JAVA_HOME`, then `java` on PATH; each candidate is run
 * with `-version`. A setting that points at a missing or too old Java is reported rather than skipped silently,
 * because the user asked for it.
 *
 * @throws JavaNotFoundError naming each candidate and why it was refused
 */
export async function findJava(javaHomeSetting: string | undefined | null,
                               env: NodeJS.ProcessEnv = process.env,
                               timeoutMs = 10000): Promise<JavaRuntime> {
  const candidates: Array<{ executable: string; source: JavaRuntime['source']; explicit: boolean }> = [];
  if (javaHomeSetting) {
    candidates.push({ executable: javaIn(javaHomeSetting), source: 'podnet.java.home', explicit: true });
  }
  if (env.JAVA_HOME) {
    candidates.push({ executable: javaIn(env.JAVA_HOME), source: 'JAVA_HOME', explicit: false });
  }
  candidates.push({ executable: 'java', source: 'PATH', explicit: false });

  const problems: string[] = [];
  for (const c of candidates) {
    if (c.executable !== 'java' && !fs.existsSync(c.executable)) {
      problems.push(`${c.source}: ${c.executable} does not exist`);
      continue;
    }
    let out: string;
    try {
      out = await runVersion(c.executable, env, timeoutMs);
    } catch (e) {
      problems.push(`${c.source}: '${c.executable} -version' failed (${(e as Error).message.split('\n')[0]})`);
      continue;
    }
    const major = parseJavaMajor(out);
    if (major === undefined) {
      problems.push(`${c.source}: '${c.executable} -version' printed no version`);
    } else if (major < MIN_JAVA) {
      problems.push(`${c.source}: ${c.executable} is Java ${major}; podnet needs Java ${MIN_JAVA} or newer`);
    } else {
      return { executable: c.executable, major, source: c.source };
    }
  }
  throw new JavaNotFoundError(`podnet needs Java ${MIN_JAVA} or newer and found none. Tried: ${problems.join('; ')}. `
    + `Install a JDK/JRE 17+ and set "podnet.java.home" (or JAVA_HOME) to its directory.`);
}
