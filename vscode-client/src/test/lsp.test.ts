// Drives the bundled server (server/podnet.jar) as a real LSP client over stdio, started exactly the way the
// extension starts it (findJava + serverCommand + forwarded settings), and checks that diagnostics arrive.
import { tempDir } from '../testutil/tmp';
import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { test } from 'node:test';
import {
  createProtocolConnection, DidChangeTextDocumentNotification, DidOpenTextDocumentNotification, ExitNotification,
  InitializedNotification, InitializeRequest, PublishDiagnosticsNotification, PublishDiagnosticsParams,
  ShutdownRequest, StreamMessageReader, StreamMessageWriter,
} from 'vscode-languageserver-protocol/node';
import { findJava } from '../java';
import { bundledJar, forwardedSettings, PodnetSettings, serverCommand } from '../server';

const extensionRoot = path.resolve(__dirname, '..', '..');
const jar = bundledJar(extensionRoot);
const settings: PodnetSettings = { vmargs: ['-Xss4m', '-XX:+UseSerialGC'], rules: {} };

/** Why the test cannot run here, or undefined when it can. */
async function skipReason(): Promise<string | undefined> {
  if (!fs.existsSync(jar)) {
    return `${jar} is missing: run 'mvn -B -DskipTests package' at the repository root, then 'npm run copy-server'`;
  }
  let java;
  try {
    java = await findJava(undefined);
  } catch (e) {
    return (e as Error).message;
  }
  const help = spawnSync(java.executable, ['-jar', jar, 'lsp', '--help'], { encoding: 'utf8', timeout: 60000 });
  // picocli prints the top-level usage (exit 0) for an unknown subcommand with --help, so look for lsp's own usage.
  if (help.status !== 0 || !/Usage: podnet lsp\b/.test(help.stdout ?? '')) {
    return `the bundled podnet.jar has no 'lsp' subcommand yet ('java -jar podnet.jar lsp --help' exited `
      + `${help.status} without "Usage: podnet lsp")`;
  }
  return undefined;
}

const BROKEN = '{\n  "cniVersion": "1.0.0",\n  "name": "bridge"\n  "plugins": [{"type": "bridge"}]\n}\n';
const FIXED = '{\n  "cniVersion": "1.0.0",\n  "name": "bridge",\n  "plugins": [{"type": "bridge"}]\n}\n';

test('the bundled server publishes diagnostics for a broken CNI config and clears them when fixed',
  { timeout: 120000 }, async (t) => {
    const reason = await skipReason();
    if (reason) {
      t.skip(reason);
      return;
    }
    const java = await findJava(undefined);
    const cmd = serverCommand(java.executable, jar, settings);
    const workspace = tempDir('podnet-lsp-');
    fs.mkdirSync(path.join(workspace, 'net.d'));
    const file = path.join(workspace, 'net.d', '10-bridge.conflist');
    fs.writeFileSync(file, BROKEN);
    const uri = pathToFileURL(file).toString();

    const child = spawn(cmd.command, cmd.args, { cwd: workspace, stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => { stderr += d; });
    let exited = false;
    const conn = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
    const published: PublishDiagnosticsParams[] = [];
    const waiters: Array<() => void> = [];
    conn.onNotification(PublishDiagnosticsNotification.type, (p) => {
      published.push(p);
      waiters.splice(0).forEach((w) => w());
    });
    // What VS Code answers for the requests a server may send.
    conn.onRequest('workspace/configuration', (p: { items: Array<{ section?: string }> }) =>
      p.items.map((i) => (i.section === 'podnet' || i.section === undefined ? forwardedSettings(settings) : null)));
    conn.onRequest('client/registerCapability', () => null);
    conn.onRequest('window/workDoneProgress/create', () => null);
    conn.listen();
    // A timer keeps the event loop alive while waiting; the exit handler wakes waiters if the server dies.
    child.on('exit', () => { exited = true; waiters.splice(0).forEach((w) => w()); });

    const until = async (pred: () => boolean, what: string, ms = 60000) => {
      const end = Date.now() + ms;
      while (!pred()) {
        if (exited) {
          throw new Error(`the server exited (code ${child.exitCode}) before ${what}; stderr: ${stderr}`);
        }
        if (Date.now() > end) {
          throw new Error(`timed out waiting for ${what}; published: ${JSON.stringify(published)}; stderr: ${stderr}`);
        }
        await new Promise<void>((r) => { waiters.push(r); setTimeout(r, 200); });
      }
    };
    try {
      const init = await conn.sendRequest(InitializeRequest.type, {
        processId: process.pid,
        rootUri: pathToFileURL(workspace).toString(),
        workspaceFolders: [{ uri: pathToFileURL(workspace).toString(), name: 'w' }],
        capabilities: {
          workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: true } },
          textDocument: { publishDiagnostics: { relatedInformation: true, codeDescriptionSupport: true } },
        },
        initializationOptions: forwardedSettings(settings),
      });
      assert.ok(init.capabilities.textDocumentSync !== undefined, 'the server syncs documents');
      await conn.sendNotification(InitializedNotification.type, {});
      await conn.sendNotification(DidOpenTextDocumentNotification.type, {
        textDocument: { uri, languageId: 'json', version: 1, text: BROKEN },
      });
      const forUri = () => published.filter((p) => p.uri === uri);
      await until(() => forUri().some((p) => p.diagnostics.some((d) => d.code === 'SYN001')), 'SYN001 on didOpen');
      const d = forUri().flatMap((p) => p.diagnostics).find((x) => x.code === 'SYN001')!;
      assert.equal(d.range.start.line, 3, 'the missing comma is reported on line 4 (0-based 3)');
      assert.equal(d.severity, 1, 'error');

      await conn.sendNotification(DidChangeTextDocumentNotification.type, {
        textDocument: { uri, version: 2 },
        contentChanges: [{ text: FIXED }],
      });
      await until(() => {
        const last = forUri().at(-1);
        return last !== undefined && !last.diagnostics.some((x) => x.code === 'SYN001');
      }, 'SYN001 to clear after the fix');

      await conn.sendRequest(ShutdownRequest.type);
      await conn.sendNotification(ExitNotification.type);
      const code = await new Promise<number | null>((r) => {
        if (child.exitCode !== null) {
          r(child.exitCode);
        } else {
          child.on('exit', (c) => r(c));
          setTimeout(() => r(child.exitCode), 10000);
        }
      });
      assert.equal(code, 0, `the server exits 0 after shutdown/exit; stderr: ${stderr}`);
    } finally {
      conn.dispose();
      if (child.exitCode === null) {
        child.kill();
      }
    }
  });
