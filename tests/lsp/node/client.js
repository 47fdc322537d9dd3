// Drives `kpilint lsp` with the npm `vscode-languageserver-protocol` client
// (what VS Code's client is built on): open, edit, hover, definition,
// completion, rename, shutdown. JavaScript strings are UTF-16, so the columns
// this script expects (String.indexOf) are exactly what LSP means by default.
// Writes what it saw to a JSON file; tests/lsp/lsp_clients_test.cpp checks it.
//
//   node tests/lsp/node/client.js BINARY WORKSPACE_ROOT OUT.json
'use strict';
const { spawn } = require('child_process');
const fs = require('fs');
const path = require('path');
const { pathToFileURL } = require('url');
const rpc = require('vscode-languageserver-protocol/node');

const [binary, root, out] = process.argv.slice(2);
const results = { steps: [] };
const child = spawn(binary, ['lsp'], { stdio: ['pipe', 'pipe', 'inherit'] });
const exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
const connection = rpc.createProtocolConnection(new rpc.StreamMessageReader(child.stdout),
                                                new rpc.StreamMessageWriter(child.stdin));
const published = [];
let notify = () => {};
connection.onNotification(rpc.PublishDiagnosticsNotification.type, (params) => {
  published.push(params);
  notify();
});
connection.listen();

function waitDiagnostics(uri, version, timeoutMs = 15000) {
  return new Promise((resolve, reject) => {
    const check = () => {
      const found = published.find((p) => p.uri === uri && p.version === version);
      if (found) {
        clearTimeout(timer);
        resolve(found);
        return true;
      }
      return false;
    };
    const timer = setTimeout(() => reject(new Error(`no diagnostics for ${uri} v${version}`)), timeoutMs);
    if (check()) return;
    const previous = notify;
    notify = () => { previous(); check(); };
  });
}

async function main() {
  const rootUri = pathToFileURL(root).href;
  const init = await connection.sendRequest(rpc.InitializeRequest.type, {
    processId: process.pid,
    rootUri,
    workspaceFolders: [{ uri: rootUri, name: 'workspace' }],
    capabilities: {
      general: { positionEncodings: ['utf-16'] },
      textDocument: {
        hover: { contentFormat: ['markdown', 'plaintext'] },
        rename: { prepareSupport: true },
        publishDiagnostics: { relatedInformation: true, versionSupport: true },
        documentSymbol: { hierarchicalDocumentSymbolSupport: true },
      },
    },
  });
  results.positionEncoding = init.capabilities.positionEncoding;
  await connection.sendNotification(rpc.InitializedNotification.type, {});

  // Open the file with accents and an emoji before the dangling name.
  const file = path.join(root, 'acentos.kpi');
  const uri = pathToFileURL(file).href;
  const text = fs.readFileSync(file, 'utf8');
  const lines = text.split('\n');
  const row = lines.findIndex((l) => l.includes('revenue_totl'));
  const column = lines[row].indexOf('revenue_totl');  // UTF-16 units, by JavaScript's own count
  results.expected = { line: row, character: column, bytes: Buffer.byteLength(lines[row].slice(0, column)) };
  await connection.sendNotification(rpc.DidOpenTextDocumentNotification.type,
                                    { textDocument: { uri, languageId: 'kpi', version: 1, text } });
  const opened = await waitDiagnostics(uri, 1);
  results.opened = opened.diagnostics;
  results.steps.push('open');

  // Fix the typo with an incremental edit, in UTF-16 units.
  const at = { line: row, character: column + 'revenue_tot'.length };
  await connection.sendNotification(rpc.DidChangeTextDocumentNotification.type,
                                    { textDocument: { uri, version: 2 }, contentChanges: [{ range: { start: at, end: at }, text: 'a' }] });
  results.edited = (await waitDiagnostics(uri, 2)).diagnostics;
  results.steps.push('edit');

  const name = lines.findIndex((l) => l.startsWith('kpi '));
  const hover = await connection.sendRequest(rpc.HoverRequest.type,
                                             { textDocument: { uri }, position: { line: name, character: 5 } });
  results.hover = hover && hover.contents.value;
  results.steps.push('hover');

  const definition = await connection.sendRequest(rpc.DefinitionRequest.type,
                                                  { textDocument: { uri }, position: { line: row, character: column + 2 } });
  results.definition = definition;
  results.steps.push('definition');

  // Completion on a line that does not parse yet: `parent: ` with nothing after it.
  const novo = pathToFileURL(path.join(root, 'novo.kpi')).href;
  await connection.sendNotification(rpc.DidOpenTextDocumentNotification.type,
                                    { textDocument: { uri: novo, languageId: 'kpi', version: 1, text: 'kpi novo {\n  parent: \n}\n' } });
  await waitDiagnostics(novo, 1);
  const completion = await connection.sendRequest(rpc.CompletionRequest.type,
                                                  { textDocument: { uri: novo }, position: { line: 1, character: 10 } });
  results.completion = (Array.isArray(completion) ? completion : completion.items).map((item) => item.label).sort();
  results.steps.push('completion');

  const rename = await connection.sendRequest(rpc.RenameRequest.type,
                                              { textDocument: { uri }, position: { line: name, character: 5 }, newName: 'conversao_site' });
  results.rename = rename;
  try {
    await connection.sendRequest(rpc.RenameRequest.type,
                                 { textDocument: { uri }, position: { line: name, character: 5 }, newName: '9 invalid' });
    results.invalidRename = 'accepted';
  } catch (error) {
    results.invalidRename = { code: error.code, message: error.message };
  }
  results.steps.push('rename');

  await connection.sendRequest(rpc.ShutdownRequest.type);
  await connection.sendNotification(rpc.ExitNotification.type);
  results.exitCode = await exited;
  results.steps.push('shutdown');
}

main()
  .catch((error) => { results.error = String(error && error.stack || error); })
  .finally(() => {
    fs.writeFileSync(out, JSON.stringify(results, null, 2));
    child.kill();
    process.exit(0);
  });
