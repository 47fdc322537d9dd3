#pragma once
// `kpilint lsp`: the language server over standard input and output.
namespace kpilint::cli {

// Serves LSP on stdin/stdout (logs on stderr) until the client says `exit`;
// returns the process exit code (0 after shutdown, 1 without). With
// `language_forced` (`kpilint lsp --lang X`), the client's `locale` is ignored.
int run_lsp(bool language_forced = false);

}  // namespace kpilint::cli
