#pragma once
// Loading a workspace for one run: find the root, read its config, read and
// parse every .kpi file (in parallel), and mark which ones are reported on.
// The CLI and the language server both load through here.
#include <cstddef>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "model/config.hpp"
#include "model/workspace.hpp"

namespace kpilint::model {

struct LoadOptions {
  std::filesystem::path cwd;                  // display paths are relative to it
  std::vector<std::filesystem::path> paths;   // files/dirs asked for; empty: the whole workspace
  std::optional<std::filesystem::path> root;  // skip discovery (the LSP's workspace folder)
  std::optional<std::filesystem::path> config_file;           // --config
  std::map<std::filesystem::path, std::string> overlays;      // absolute path → text that replaces the disk
  unsigned jobs = 0;                          // parser threads; 0: all cores
  // An earlier load of the same workspace (the language server's previous
  // analysis): a document whose text is byte for byte the same (read again
  // from disk, or the same overlay) and that is shown and reported the same
  // way is taken over as it is, not parsed again. It must outlive the load.
  const Workspace* previous = nullptr;
};

// Where the time of a load went, in milliseconds (`check --timings`). Read
// and parse are summed over the parser threads; `files` is the wall time of
// reading and parsing together.
struct LoadTimings {
  double discover = 0, read = 0, parse = 0, files = 0;
  std::size_t reused = 0;  // documents taken over from LoadOptions::previous
  std::size_t unread = 0;  // of those, taken over by stat alone, not read again
};

struct LoadedWorkspace {
  std::unique_ptr<Workspace> workspace;
  Config config;
  std::vector<std::string> errors;       // configuration errors: exit 2, nothing checked
  std::vector<std::string> file_errors;  // files that could not be read: exit 2, the rest checked
  LoadTimings timings;
};

LoadedWorkspace load_workspace(const LoadOptions& options);

}  // namespace kpilint::model
