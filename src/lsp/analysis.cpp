#include "lsp/analysis.hpp"

#include <fmt/format.h>

#include "base/i18n.hpp"
#include "rules/rule_pack.hpp"

namespace kpilint::lsp {

namespace fs = std::filesystem;

std::unique_ptr<Snapshot> Snapshot::build(const fs::path& root, std::map<fs::path, std::string> overlays,
                                          const Snapshot* previous) {
  auto snapshot = std::make_unique<Snapshot>();
  snapshot->root_ = root;
  try {
    model::LoadOptions options;
    options.cwd = root;
    options.root = root;
    options.overlays = std::move(overlays);
    options.jobs = 0;
    if (previous != nullptr && previous->root_ == root) options.previous = previous->loaded_.workspace.get();
    snapshot->loaded_ = model::load_workspace(options);
    for (const auto& error : snapshot->loaded_.errors) snapshot->errors_.push_back(error);
    for (const auto& error : snapshot->loaded_.file_errors) snapshot->errors_.push_back(error);
    if (snapshot->loaded_.workspace) {
      snapshot->result_ = rules::lint(snapshot->loaded_);
      for (const auto& error : snapshot->result_.errors) snapshot->errors_.push_back(error);
    }
  } catch (const std::exception& e) {
    snapshot->errors_.push_back(i18n::format("lsp.check-failed", i18n::arg("what", std::string_view(e.what()))));
  }
  if (snapshot->loaded_.workspace) {
    for (const auto& document : snapshot->loaded_.workspace->documents) {
      snapshot->by_path_[document->absolute_path.lexically_normal()] = document.get();
      snapshot->by_source_[document->source.get()] = document.get();
    }
  }
  for (const auto& d : snapshot->result_.diagnostics) {
    if (const auto* document = snapshot->document_of(d.location.file)) snapshot->diagnostics_[document].push_back(&d);
  }
  return snapshot;
}

std::string Snapshot::timings() const {
  const auto& l = loaded_.timings;
  const auto& r = result_.timings;
  return fmt::format("discover {:.1f} | read+parse {:.1f} | resolve {:.1f} | rules {:.1f} | finish {:.1f} ms", l.discover,
                     l.files, r.resolve, r.rules, r.finish);
}

const model::Document* Snapshot::document(const fs::path& path) const {
  const auto it = by_path_.find(path);
  return it == by_path_.end() ? nullptr : it->second;
}

const model::Document* Snapshot::document_of(const SourceFile* file) const {
  const auto it = by_source_.find(file);
  return it == by_source_.end() ? nullptr : it->second;
}

const std::vector<const Diagnostic*>& Snapshot::diagnostics_of(const model::Document* document) const {
  static const std::vector<const Diagnostic*> kNone;
  const auto it = diagnostics_.find(document);
  return it == diagnostics_.end() ? kNone : it->second;
}

std::span<const std::shared_ptr<model::Document>> Snapshot::documents() const {
  if (!loaded_.workspace) return {};
  return loaded_.workspace->documents;
}

}  // namespace kpilint::lsp
