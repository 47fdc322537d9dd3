#pragma once
// A workspace: every .kpi file under one root, read in path order and parsed.
// Discovery follows SPEC §1: the nearest ancestor holding kpilint.toml, else
// the git top level, else the current directory.
#include <atomic>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/arena.hpp"
#include "base/source.hpp"
#include "syntax/tree.hpp"

namespace kpilint::model {

// What fstat said of a file when it was read. A later load takes the
// document over without reading the file again when stat says the same and
// the file had not been modified shortly before it was read (see the loader).
struct FileStamp {
  std::uint64_t device = 0, inode = 0, size = 0;
  std::int64_t modified_ns = 0, changed_ns = 0;  // all 0: not read from disk (an open editor buffer)
  friend bool operator==(const FileStamp&, const FileStamp&) = default;
};

struct Document {
  // The arena its text and the bulk of its tree live in (none: the heap).
  // Declared first, so it goes after them; shared by the documents a loader
  // thread made, and held as long as any of them is (a later load may take
  // some over).
  std::shared_ptr<Arena> arena;
  std::unique_ptr<SourceFile> source;
  syntax::SyntaxTree tree;
  std::filesystem::path absolute_path;
  FileStamp stamp;
  // The wall clock (CLOCK_REALTIME, as file times) when a load last found its
  // text to be the file's: the one that read it, or a later one that read the
  // file again and compared. Only loads write it (atomic: a taken-over
  // document is shared).
  mutable std::atomic<std::int64_t> verified_at_ns{0};
  bool reported = true;  // findings in this file are reported (it was asked for)
  bool stdlib = false;
};

struct Workspace {
  std::filesystem::path root;
  std::optional<std::filesystem::path> config_file;  // root/kpilint.toml when present
  // Sorted by path. Immutable once loaded, and shared with a later load that
  // takes them over (the language server's next analysis).
  std::vector<std::shared_ptr<Document>> documents;
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
                                        std::shared_ptr<Arena> arena);

// True when `path` matches the glob `pattern` (`*`, `?`, `**` across directories).
bool glob_match(std::string_view pattern, std::string_view path);

}  // namespace kpilint::model
