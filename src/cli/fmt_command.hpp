#pragma once
// `kpilint fmt [--check] [--diff] [PATH…]`: canonical formatting (SPEC §5).
// main.cpp declares the options with CLI11 and calls run_fmt.
#include <optional>
#include <string>
#include <vector>

namespace kpilint::cli {

struct FmtOptions {
  std::vector<std::string> paths;             // files or directories; '-' is standard input; none: the workspace
  bool check = false;                         // write nothing; list what would change; exit 1 if anything would
  bool diff = false;                          // like --check, but print a unified diff instead of the names
  std::optional<std::string> stdin_filename;  // format standard input to standard output, named F in messages
  bool quiet = false;                         // no summary line on stderr
};

// Exit codes: 0 nothing to do or files rewritten; 1 --check/--diff found files
// that would change; 2 a file could not be formatted (syntax error, I/O) or a
// usage/configuration error. 2 wins over 1.
int run_fmt(const FmtOptions& options);

}  // namespace kpilint::cli
