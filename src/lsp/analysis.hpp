#pragma once
// One analysis of one workspace: the library's load_workspace + lint, with the
// open buffers as overlays — exactly what `kpilint check` runs, so the editor
// and the command line never disagree. A snapshot is immutable; the server
// replaces it after a change. Lookups by path and by source file are indexed.
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "base/diagnostic.hpp"
#include "model/loader.hpp"
#include "model/model.hpp"
#include "rules/linter.hpp"

namespace kpilint::rules {
class RulePack;
}

namespace kpilint::lsp {

class Snapshot {
 public:
  // Loads and lints the workspace at `root`; `overlays` are the open buffers
  // (absolute path → text). Documents of `previous` whose text did not change
  // are taken over, not parsed again. Never throws for bad input; library
  // exceptions are turned into `errors`.
  static std::unique_ptr<Snapshot> build(const std::filesystem::path& root,
                                         std::map<std::filesystem::path, std::string> overlays,
                                         const Snapshot* previous = nullptr);
  // How many documents the load took over from the previous snapshot.
  std::size_t reused_documents() const { return loaded_.timings.reused; }
  // Where the time went, for the verbose log: "discover 5.6 | read+parse 13.4 | resolve 94.8 | …".
  std::string timings() const;

  const std::filesystem::path& root() const { return root_; }
  // The model, or nullptr when the load failed outright.
  const model::Model* model() const { return result_.model.get(); }
  const rules::RulePack* pack() const { return result_.pack.get(); }
  const model::Document* document(const std::filesystem::path& path) const;
  // The workspace document a source file belongs to (nullptr for the stdlib).
  const model::Document* document_of(const SourceFile* file) const;
  // The diagnostics of one document, in the library's order.
  const std::vector<const Diagnostic*>& diagnostics_of(const model::Document* document) const;
  // Configuration and I/O problems, to show the user once.
  const std::vector<std::string>& errors() const { return errors_; }
  std::span<const std::shared_ptr<model::Document>> documents() const;

 private:
  std::filesystem::path root_;
  model::LoadedWorkspace loaded_;  // owns the sources the result points into: declared first, destroyed last
  rules::LintResult result_;
  std::map<std::filesystem::path, const model::Document*> by_path_;
  std::unordered_map<const SourceFile*, const model::Document*> by_source_;
  std::unordered_map<const model::Document*, std::vector<const Diagnostic*>> diagnostics_;
  std::vector<std::string> errors_;
};

}  // namespace kpilint::lsp
