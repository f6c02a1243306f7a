// The VS Code extension: starts `java -jar podnet.jar lsp` over stdio with vscode-languageclient.
import * as vscode from 'vscode';
import { Executable, LanguageClient, LanguageClientOptions, ServerOptions } from 'vscode-languageclient/node';
import { findJava, JavaNotFoundError } from './java';
import { DOCUMENT_SELECTOR, forwardedSettings, PodnetSettings, resolveJar, serverCommand } from './server';

let client: LanguageClient | undefined;
let output: vscode.OutputChannel | undefined;

function readSettings(): PodnetSettings {
  const c = vscode.workspace.getConfiguration('podnet');
  return {
    javaHome: c.get<string | null>('java.home'),
    serverJar: c.get<string | null>('server.jar'),
    vmargs: c.get<string[]>('server.vmargs'),
    configFile: c.get<string | null>('configFile'),
    rules: c.get<Record<string, string>>('rules'),
  };
}

async function start(context: vscode.ExtensionContext): Promise<void> {
  const settings = readSettings();
  const workspaceRoot = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  let java;
  let jar;
  try {
    java = await findJava(settings.javaHome);
    jar = resolveJar(settings, context.extensionPath, workspaceRoot);
  } catch (e) {
    const msg = (e as Error).message;
    output?.appendLine(msg);
    const open = 'Open Settings';
    const pick = await vscode.window.showErrorMessage(`podnet: ${msg}`, open);
    if (pick === open) {
      await vscode.commands.executeCommand('workbench.action.openSettings',
        e instanceof JavaNotFoundError ? 'podnet.java.home' : 'podnet.server.jar');
    }
    return;
  }
  const cmd = serverCommand(java.executable, jar, settings);
  output?.appendLine(`starting ${cmd.command} ${cmd.args.join(' ')} (Java ${java.major} from ${java.source})`);
  const executable: Executable = { command: cmd.command, args: cmd.args, options: { cwd: workspaceRoot } };
  const serverOptions: ServerOptions = { run: executable, debug: executable };
  const clientOptions: LanguageClientOptions = {
    documentSelector: DOCUMENT_SELECTOR,
    initializationOptions: forwardedSettings(settings),
    synchronize: {
      configurationSection: 'podnet',
      fileEvents: vscode.workspace.createFileSystemWatcher('**/.podnet.yaml'),
    },
    outputChannel: output,
  };
  // The client id "podnet" makes vscode-languageclient read the setting podnet.trace.server.
  client = new LanguageClient('podnet', 'podnet', serverOptions, clientOptions);
  await client.start();
}

async function stop(): Promise<void> {
  const c = client;
  client = undefined;
  if (c) {
    await c.stop();
  }
}

/** Called by VS Code on the first YAML/JSON/CNI document or a workspace holding CNI configs. */
export async function activate(context: vscode.ExtensionContext): Promise<void> {
  output = vscode.window.createOutputChannel('podnet');
  context.subscriptions.push(output);
  context.subscriptions.push(vscode.commands.registerCommand('podnet.restartServer', async () => {
    await stop();
    await start(context);
  }));
  context.subscriptions.push(vscode.commands.registerCommand('podnet.showOutput', () => output?.show()));
  context.subscriptions.push(vscode.workspace.onDidChangeConfiguration(async (e) => {
    if (e.affectsConfiguration('podnet.java.home') || e.affectsConfiguration('podnet.server')) {
      await stop();
      await start(context);
    }
  }));
  await start(context);
}

/** Called by VS Code on shutdown. */
export async function deactivate(): Promise<void> {
  await stop();
}
