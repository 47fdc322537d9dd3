#pragma once
// A workspace: every .kpi file under one root, read in path order and parsed.
// Discovery follows SPEC §1: the nearest ancestor holding kpilint.toml, else
// the git top level, else the current directory.
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/arena.hpp"
#include "base/source.hpp"
#include "syntax/tree.hpp"

namespace kpilint::model {

struct Document {
  std::unique_ptr<SourceFile> source;
  syntax::SyntaxTree tree;
  std::filesystem::path absolute_path;
  bool reported = true;  // findings in this file are reported (it was asked for)
  bool stdlib = false;
};

struct Workspace {
  std::filesystem::path root;
  std::optional<std::filesystem::path> config_file;  // root/kpilint.toml when present
  // The loader's arenas (one per thread) hold the texts and the bulk of the
  // trees of `documents`; declared first, so they go after the documents.
  std::vector<std::unique_ptr<Arena>> arenas;
  std::vector<std::unique_ptr<Document>> documents;  // sorted by path
};

// Finds the workspace root for `start` (a file or directory): the nearest
// ancestor with kpilint.toml, else the git top level, else `fallback`.
std::filesystem::path find_workspace_root(const std::filesystem::path& start, const std::filesystem::path& fallback);

// Lists the .kpi files under `root` in path order, skipping hidden directories
// and paths matching `exclude` globs (relative to the root). With `under`, only
// that directory is walked (the patterns still apply below it, relative to
// the root; `under` itself was asked for by name, so it is walked even when
// hidden or excluded, as ruff walks a directory it is given).
std::vector<std::filesystem::path> discover_files(const std::filesystem::path& root, const std::vector<std::string>& exclude,
                                                  const std::filesystem::path& under = {});

// Reads and parses one file into a document. `display_path` is what users see.
std::unique_ptr<Document> make_document(std::string display_path, std::string text, std::filesystem::path absolute_path);
// The same for a text kept in `arena`, which also takes the tree's bulk.
std::unique_ptr<Document> make_document(std::string display_path, std::string_view text, std::filesystem::path absolute_path,
                                        Arena& arena);

// True when `path` matches the glob `pattern` (`*`, `?`, `**` across directories).
bool glob_match(std::string_view pattern, std::string_view path);

}  // namespace kpilint::model
