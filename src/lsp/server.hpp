#pragma once
// `kpilint lsp`: the language server. A thin adapter: it keeps the open
// buffers, runs the library's load + lint over them (the same code path as
// `kpilint check`), and answers LSP requests from the resulting model.
//
// Threads: one reads and parses messages (and notes $/cancelRequest at once);
// the other handles them in order, and lints when the input is quiet and at
// most once per debounce interval, so a burst of keystrokes costs one lint
// and a single change is answered as fast as the lint runs.
namespace kpilint::lsp {

struct ServerOptions {
  int debounce_ms = 50;  // the shortest time between two lints of a workspace
  bool verbose = false;  // log each check's duration to stderr
  // Messages in the language of `initialize`'s `locale` (pt* → Portuguese),
  // else in the process language (from --lang or the environment).
  bool follow_client_locale = true;
};

// Serves on the given descriptors until `exit` or the end of the input.
// Returns the exit status: 0 after shutdown + exit, 1 otherwise.
int run_server(int in_fd, int out_fd, const ServerOptions& options = {});

}  // namespace kpilint::lsp
