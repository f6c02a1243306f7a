// How the extension starts the podnet language server, without VS Code APIs (the tests start it the same way).
import * as fs from 'fs';
import * as path from 'path';

/** The extension's settings that shape the server process and what it is told at start-up. */
export interface PodnetSettings {
  /** podnet.java.home */
  javaHome?: string | null;
  /** podnet.server.jar: overrides the bundled jar */
  serverJar?: string | null;
  /** podnet.server.vmargs */
  vmargs?: string[];
  /** podnet.configFile, forwarded */
  configFile?: string | null;
  /** podnet.rules, forwarded */
  rules?: Record<string, string>;
}

/** The process to start: the shape of vscode-languageclient's `Executable` (stdio transport). */
export interface ServerCommand {
  command: string;
  args: string[];
}

/** The jar bundled in the extension: `<extension>/server/podnet.jar`. */
export function bundledJar(extensionRoot: string): string {
  return path.join(extensionRoot, 'server', 'podnet.jar');
}

/**
 * The jar to run: `podnet.server.jar` when set (relative paths against the first workspace folder), else the
 * bundled one.
 *
 * @throws Error when the chosen jar does not exist, naming the path and the setting
 */
export function resolveJar(settings: PodnetSettings, extensionRoot: string, workspaceRoot?: string): string {
  if (settings.serverJar) {
    const p = path.isAbsolute(settings.serverJar) || !workspaceRoot
      ? settings.serverJar : path.join(workspaceRoot, settings.serverJar);
    if (!fs.existsSync(p)) {
      throw new Error(`podnet.server.jar points at ${p}, which does not exist`);
    }
    return p;
  }
  const b = bundledJar(extensionRoot);
  if (!fs.existsSync(b)) {
    throw new Error(`the bundled server ${b} is missing; set podnet.server.jar to a podnet.jar`);
  }
  return b;
}

/** `java [vmargs] -jar <jar> lsp`: the language server over stdio. */
export function serverCommand(java: string, jar: string, settings: PodnetSettings): ServerCommand {
  return { command: java, args: [...(settings.vmargs ?? []), '-jar', jar, 'lsp'] };
}

/**
 * The settings forwarded to the server as `initializationOptions` (and answered to `workspace/configuration` for
 * the section "podnet"): everything except what only the client uses (Java, jar, VM options, trace).
 */
export function forwardedSettings(settings: PodnetSettings): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (settings.configFile) {
    out.configFile = settings.configFile;
  }
  out.rules = settings.rules ?? {};
  return out;
}

/**
 * The documents the client sends to the server: YAML and JSON (the server decides by content whether a file is a
 * CNI config or a Kubernetes object), `.conflist` and CNI `.conf` files below a `net.d` directory (the extension
 * registers both as JSON), on disk or unsaved.
 */
export const DOCUMENT_SELECTOR = [
  { scheme: 'file', language: 'yaml' },
  { scheme: 'untitled', language: 'yaml' },
  { scheme: 'file', language: 'json' },
  { scheme: 'untitled', language: 'json' },
  { scheme: 'file', pattern: '**/*.conflist' },
  { scheme: 'file', pattern: '**/net.d/*.conf' },
];
