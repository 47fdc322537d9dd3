// The VS Code side of kpilint: start `kpilint lsp` for .kpi files. Everything
// else (diagnostics, hover, completion, rename, quick fixes) is the server's.
'use strict';
const vscode = require('vscode');
const { LanguageClient, TransportKind } = require('vscode-languageclient/node');

let client;

function activate(context) {
  const config = vscode.workspace.getConfiguration('kpilint');
  const command = config.get('path', 'kpilint');
  const serverOptions = { command, args: ['lsp'], transport: TransportKind.stdio };
  const clientOptions = {
    documentSelector: [{ scheme: 'file', language: 'kpi' }],
    initializationOptions: { debounceMs: config.get('debounceMs', 50) },
    synchronize: {
      // Files changed outside the editor (git checkout, kpilint fmt) are re-checked.
      fileEvents: vscode.workspace.createFileSystemWatcher('**/{*.kpi,kpilint.toml,*.rules}'),
    },
  };
  client = new LanguageClient('kpilint', 'kpilint', serverOptions, clientOptions);
  client.start();
  context.subscriptions.push({ dispose: () => client && client.stop() });
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
