import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { DOCUMENT_SELECTOR, forwardedSettings, resolveJar, serverCommand } from '../server';

// minimatch comes with vscode-languageclient; VS Code's own glob matching agrees on these simple patterns.
// eslint-disable-next-line @typescript-eslint/no-var-requires
const { minimatch } = require('minimatch') as { minimatch: (p: string, g: string, o?: object) => boolean };

const root = path.resolve(__dirname, '..', '..');
const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));

test('activates on YAML and JSON documents and on workspaces with CNI configs', () => {
  for (const e of ['onLanguage:yaml', 'onLanguage:json', 'workspaceContains:**/*.conflist',
    'workspaceContains:**/net.d/*.conf']) {
    assert.ok(manifest.activationEvents.includes(e), e);
  }
  assert.equal(manifest.main, './out/extension.js');
  assert.ok(fs.existsSync(path.join(root, 'out', 'extension.js')), 'compiled extension');
});

test('.conflist and net.d/*.conf are JSON documents, other .conf files are not', () => {
  const json = manifest.contributes.languages.find((l: { id: string }) => l.id === 'json');
  assert.deepEqual(json.extensions, ['.conflist']);
  assert.deepEqual(json.filenamePatterns, ['**/net.d/*.conf']);
  const patterns = DOCUMENT_SELECTOR.filter((s) => 'pattern' in s).map((s) => (s as { pattern: string }).pattern);
  const selected = (f: string) => patterns.some((p) => minimatch(f, p, { dot: true }));
  assert.ok(selected('/etc/cni/net.d/10-bridge.conf'));
  assert.ok(selected('/repo/nodes/a/net.d/99-loopback.conf'));
  assert.ok(selected('/repo/10-calico.conflist'));
  assert.ok(!selected('/etc/nginx/nginx.conf'));
  assert.ok(!selected('/etc/cni/net.d/sub/10-bridge.conf'));
});

test('settings for Java, the jar and tracing are declared', () => {
  const props = manifest.contributes.configuration.properties;
  for (const s of ['podnet.java.home', 'podnet.server.jar', 'podnet.server.vmargs', 'podnet.trace.server',
    'podnet.configFile', 'podnet.rules']) {
    assert.ok(props[s], s);
  }
  assert.deepEqual(props['podnet.trace.server'].enum, ['off', 'messages', 'verbose']);
});

test('@vscode/vsce is pinned to 3.x (4.x needs Node 22)', () => {
  assert.match(manifest.devDependencies['@vscode/vsce'], /^3\./);
});

test('the server is java [vmargs] -jar JAR lsp, and client-only settings are not forwarded', () => {
  const s = { javaHome: '/jdk', serverJar: null, vmargs: ['-Xmx256m'], configFile: 'ci/.podnet.yaml',
    rules: { SYN006: 'off' } };
  assert.deepEqual(serverCommand('/jdk/bin/java', '/x/podnet.jar', s),
    { command: '/jdk/bin/java', args: ['-Xmx256m', '-jar', '/x/podnet.jar', 'lsp'] });
  assert.deepEqual(forwardedSettings(s), { configFile: 'ci/.podnet.yaml', rules: { SYN006: 'off' } });
});

test('a podnet.server.jar that does not exist is named in the error', () => {
  assert.throws(() => resolveJar({ serverJar: '/nonexistent/podnet.jar' }, root),
    /podnet\.server\.jar points at \/nonexistent\/podnet\.jar/);
  assert.throws(() => resolveJar({}, '/nonexistent-extension'), /bundled server .* is missing/);
});
