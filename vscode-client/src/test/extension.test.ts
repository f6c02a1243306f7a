// The extension's activate() with a stubbed `vscode` module and a recording LanguageClient: checks how it
// configures the client (command line, document selector, forwarded settings, trace id) and what it says when no
// Java 17+ is found. The real vscode-languageclient needs a VS Code host, which these tests do not start.
import { tempDir } from '../testutil/tmp';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, test } from 'node:test';

// eslint-disable-next-line @typescript-eslint/no-var-requires
const Module = require('node:module');

interface Recorded {
  clients: Array<{ id: string; name: string; serverOptions: any; clientOptions: any; started: boolean }>;
  errors: string[];
  commands: string[];
}

let recorded: Recorded;
let settings: Record<string, unknown>;
const originalLoad = Module._load;
const savedEnv = { ...process.env };

function stubVscode() {
  const disposable = { dispose() { /* nothing */ } };
  return {
    workspace: {
      getConfiguration: (section: string) => ({
        get: (key: string) => settings[`${section}.${key}`],
      }),
      workspaceFolders: undefined,
      createFileSystemWatcher: () => disposable,
      onDidChangeConfiguration: () => disposable,
    },
    window: {
      createOutputChannel: () => ({ appendLine() { /* nothing */ }, show() { /* nothing */ }, dispose() { /* */ } }),
      showErrorMessage: async (msg: string) => { recorded.errors.push(msg); return undefined; },
    },
    commands: {
      registerCommand: (id: string) => { recorded.commands.push(id); return disposable; },
      executeCommand: async () => undefined,
    },
  };
}

class RecordingClient {
  private readonly entry: Recorded['clients'][number];
  constructor(id: string, name: string, serverOptions: unknown, clientOptions: unknown) {
    this.entry = { id, name, serverOptions, clientOptions, started: false };
    recorded.clients.push(this.entry);
  }
  async start() { this.entry.started = true; }
  async stop() { /* nothing */ }
}

function fakeJdk(root: string, version: string): string {
  fs.mkdirSync(path.join(root, 'bin'), { recursive: true });
  fs.writeFileSync(path.join(root, 'bin', 'java'), `#!/bin/sh\necho 'openjdk version "${version}"' >&2\n`,
    { mode: 0o755 });
  return root;
}

function loadExtension() {
  const file = require.resolve('../extension');
  delete require.cache[file];
  return require(file) as { activate: (c: unknown) => Promise<void>; deactivate: () => Promise<void> };
}

beforeEach(() => {
  recorded = { clients: [], errors: [], commands: [] };
  settings = {};
  Module._load = function load(request: string, ...rest: unknown[]) {
    if (request === 'vscode') {
      return stubVscode();
    }
    if (request === 'vscode-languageclient/node') {
      return { LanguageClient: RecordingClient };
    }
    return originalLoad.call(this, request, ...rest);
  };
});

afterEach(() => {
  Module._load = originalLoad;
  process.env = { ...savedEnv };
});

test('activate starts java [vmargs] -jar JAR lsp with the selector, forwarded settings and trace id',
  { skip: process.platform === 'win32' }, async () => {
    const tmp = tempDir('podnet-ext-');
    const jdk = fakeJdk(path.join(tmp, 'jdk'), '21.0.1');
    const jar = path.join(tmp, 'my-podnet.jar');
    fs.writeFileSync(jar, '');
    settings = {
      'podnet.java.home': jdk,
      'podnet.server.jar': jar,
      'podnet.server.vmargs': ['-Xmx256m'],
      'podnet.configFile': 'ci/.podnet.yaml',
      'podnet.rules': { SYN006: 'off' },
    };
    const ext = loadExtension();
    const subscriptions: unknown[] = [];
    await ext.activate({ subscriptions, extensionPath: tmp });
    assert.deepEqual(recorded.errors, []);
    assert.equal(recorded.clients.length, 1);
    const c = recorded.clients[0];
    assert.equal(c.id, 'podnet', 'the id makes vscode-languageclient read podnet.trace.server');
    assert.ok(c.started);
    assert.equal(c.serverOptions.run.command, path.join(jdk, 'bin', 'java'));
    assert.deepEqual(c.serverOptions.run.args, ['-Xmx256m', '-jar', jar, 'lsp']);
    assert.equal(c.serverOptions.run.transport, undefined, 'an Executable without transport talks stdio');
    assert.deepEqual(c.clientOptions.initializationOptions, { configFile: 'ci/.podnet.yaml', rules: { SYN006: 'off' } });
    assert.equal(c.clientOptions.synchronize.configurationSection, 'podnet');
    assert.ok(c.clientOptions.documentSelector.some((s: { pattern?: string }) => s.pattern === '**/net.d/*.conf'));
    assert.ok(c.clientOptions.documentSelector.some((s: { language?: string }) => s.language === 'yaml'));
    assert.ok(recorded.commands.includes('podnet.restartServer'));
    await ext.deactivate();
  });

test('without Java 17+ the extension shows one clear error and starts nothing',
  { skip: process.platform === 'win32' }, async () => {
    const tmp = tempDir('podnet-ext-');
    const old = fakeJdk(path.join(tmp, 'jdk11'), '11.0.22');
    fs.mkdirSync(path.join(tmp, 'server'));
    fs.writeFileSync(path.join(tmp, 'server', 'podnet.jar'), '');
    process.env.PATH = path.join(tmp, 'empty-path');
    delete process.env.JAVA_HOME;
    settings = { 'podnet.java.home': old };
    const ext = loadExtension();
    await ext.activate({ subscriptions: [], extensionPath: tmp });
    assert.equal(recorded.clients.length, 0);
    assert.equal(recorded.errors.length, 1);
    assert.match(recorded.errors[0], /podnet needs Java 17 or newer/);
    assert.match(recorded.errors[0], /is Java 11/);
    assert.match(recorded.errors[0], /podnet\.java\.home/);
  });
