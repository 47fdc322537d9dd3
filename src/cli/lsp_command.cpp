// `kpilint lsp`: all the work is in src/lsp.
#include "cli/lsp_command.hpp"

#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <cstdlib>
#include <string>

#include "lsp/server.hpp"

namespace kpilint::cli {

int run_lsp(bool language_forced) {
  std::signal(SIGPIPE, SIG_IGN);  // a client that went away is a failed write, not a crash
  lsp::ServerOptions options;
  options.follow_client_locale = !language_forced;
  if (const char* debounce = std::getenv("KPILINT_LSP_DEBOUNCE_MS")) {
    try {
      options.debounce_ms = std::max(0, std::stoi(debounce));
    } catch (const std::exception&) {
    }
  }
  if (const char* verbose = std::getenv("KPILINT_LSP_VERBOSE")) options.verbose = *verbose != '\0' && *verbose != '0';
  return lsp::run_server(STDIN_FILENO, STDOUT_FILENO, options);
}

}  // namespace kpilint::cli
