#include "model/workspace.hpp"

#include <algorithm>
#include <system_error>

namespace kpilint::model {

namespace fs = std::filesystem;

fs::path find_workspace_root(const fs::path& start, const fs::path& fallback) {
  std::error_code ec;
  fs::path dir = fs::absolute(start, ec).lexically_normal();
  if (!fs::is_directory(dir, ec)) dir = dir.parent_path();
  for (fs::path at = dir;; at = at.parent_path()) {
    if (fs::is_regular_file(at / "kpilint.toml", ec)) return at;
    if (at == at.root_path() || at.empty()) break;
  }
  for (fs::path at = dir;; at = at.parent_path()) {
    if (fs::exists(at / ".git", ec)) return at;
    if (at == at.root_path() || at.empty()) break;
  }
  return fallback;
}

namespace {
// `**` (optionally followed by '/') matches across directories, `*` and `?`
// within one. Patterns are short, so plain backtracking is fine.
bool glob_from(std::string_view pattern, std::string_view path) {
  while (!pattern.empty()) {
    if (pattern.substr(0, 2) == "**") {
      pattern.remove_prefix(pattern.size() > 2 && pattern[2] == '/' ? 3 : 2);
      for (std::size_t k = 0; k <= path.size(); ++k) {
        if (glob_from(pattern, path.substr(k))) return true;
      }
      return false;
    }
    if (pattern[0] == '*') {
      for (std::size_t k = 0; k <= path.size(); ++k) {
        if (glob_from(pattern.substr(1), path.substr(k))) return true;
        if (k < path.size() && path[k] == '/') break;
      }
      return false;
    }
    if (path.empty() || (pattern[0] == '?' ? path[0] == '/' : pattern[0] != path[0])) return false;
    pattern.remove_prefix(1);
    path.remove_prefix(1);
  }
  return path.empty();
}
}  // namespace

bool glob_match(std::string_view pattern, std::string_view path) { return glob_from(pattern, path); }

std::vector<fs::path> discover_files(const fs::path& root, const std::vector<std::string>& exclude, const fs::path& under) {
  std::error_code ec;
  // As in ruff and .gitignore: a pattern without a '/' (`drafts`, `*.draft.kpi`)
  // matches a file or directory of that name at any depth; one with a '/' is
  // relative to the root; a trailing '/' matches directories only.
  struct Pattern {
    std::string glob;
    bool directories_only = false;
  };
  std::vector<Pattern> patterns;
  for (std::string glob : exclude) {
    Pattern pattern;
    if (glob.size() > 1 && glob.back() == '/') {
      pattern.directories_only = true;
      while (glob.size() > 1 && glob.back() == '/') glob.pop_back();
    }
    if (glob.rfind("./", 0) == 0) {
      glob.erase(0, 2);
    } else if (glob.rfind("/", 0) == 0) {
      glob.erase(0, 1);
    } else if (glob.find('/') == std::string::npos) {
      glob.insert(0, "**/");
    }
    pattern.glob = std::move(glob);
    patterns.push_back(std::move(pattern));
  }
  // Paths under the root as the patterns see them: the walk's paths start
  // with the root's text, so the relative path is a suffix, no path algebra.
  const std::string root_text = root.generic_string();
  // Below an excluded directory everything is excluded; the walk prunes such
  // directories, and from the root the descendant patterns say it again. A
  // named directory is walked even when excluded, so there only the path
  // itself and the directories met on the way (pruned) count.
  const bool from_root = under.empty() || under == root;
  const auto excluded = [&](const fs::path& path, bool is_directory) {
    if (patterns.empty()) return false;
    std::string text = path.generic_string();
    std::string_view relative = text;
    if (relative.size() > root_text.size() && relative.compare(0, root_text.size(), root_text) == 0) {
      relative.remove_prefix(root_text.size());
      if (relative.front() == '/') relative.remove_prefix(1);
    } else {
      return false;  // outside the root: the patterns do not apply
    }
    return std::any_of(patterns.begin(), patterns.end(), [&](const Pattern& pattern) {
      return ((is_directory || !pattern.directories_only) && glob_match(pattern.glob, relative)) ||
             (from_root && glob_match(pattern.glob + "/**", relative));
    });
  };
  std::vector<std::pair<std::string, fs::path>> found;  // (generic path, path): sorted by the first
  fs::recursive_directory_iterator it(under.empty() ? root : under, fs::directory_options::skip_permission_denied, ec);
  for (; !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    const fs::path& path = it->path();
    const std::string name = path.filename().string();
    std::error_code type_ec;
    if (it->is_directory(type_ec)) {
      if ((!name.empty() && name[0] == '.') || excluded(path, true)) it.disable_recursion_pending();
      continue;
    }
    if (path.extension() != ".kpi" || (!name.empty() && name[0] == '.')) continue;
    // A FIFO or device named x.kpi would block the run on open: it is not
    // part of the workspace. (A link to nothing stays: reading it reports
    // the broken file.)
    // (is_regular_file answers from the directory listing for a plain file.)
    if (!it->is_regular_file(type_ec) && it->exists(type_ec)) continue;
    if (excluded(path, false)) continue;
    found.emplace_back(path.generic_string(), path);
  }
  std::sort(found.begin(), found.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<fs::path> files;
  files.reserve(found.size());
  for (auto& entry : found) files.push_back(std::move(entry.second));
  return files;
}

std::unique_ptr<Document> make_document(std::string display_path, std::string text, fs::path absolute_path) {
  auto document = std::make_unique<Document>();
  document->source = std::make_unique<SourceFile>(std::move(display_path), std::move(text));
  document->tree = syntax::parse(document->source->text);
  document->absolute_path = std::move(absolute_path);
  return document;
}

std::unique_ptr<Document> make_document(std::string display_path, std::string_view text, fs::path absolute_path,
                                        std::shared_ptr<Arena> arena) {
  auto document = std::make_unique<Document>();
  document->arena = std::move(arena);
  document->source = std::make_unique<SourceFile>(std::move(display_path), text, BorrowText{});
  document->tree = syntax::parse(document->source->text, document->arena.get());
  document->absolute_path = std::move(absolute_path);
  return document;
}

}  // namespace kpilint::model
