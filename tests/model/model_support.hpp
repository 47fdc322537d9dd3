#pragma once
// Builds a model from in-memory files and prints diagnostics as
// "file:line:column:CODE" so tests can compare exact locations.
#include <fmt/format.h>

#include <string>
#include <utility>
#include <vector>

#include "model/model.hpp"

namespace kpilint::test {

struct BuiltModel {
  model::Workspace workspace;
  std::vector<Diagnostic> diagnostics;
  std::unique_ptr<model::Model> model;

  // Language findings as "file:line:col:CODE", sorted; syntax errors included.
  std::vector<std::string> findings() const {
    std::vector<Diagnostic> all = diagnostics;
    for (const auto& doc : workspace.documents) {
      for (const auto& e : doc->tree.errors) all.push_back({{doc->source.get(), e.span}, Severity::Error, "KPI001", "syntax-error", e.message, {}, {}, {}});
    }
    sort_diagnostics(all);
    std::vector<std::string> out;
    for (const auto& d : all) {
      const auto at = d.location.file->lines().position(d.location.span.begin, Encoding::Utf32);
      out.push_back(fmt::format("{}:{}:{}:{}", d.location.file->path, at.line + 1, at.column + 1, d.code));
    }
    return out;
  }
  const Diagnostic* find(std::string_view code) const {
    for (const auto& d : diagnostics) {
      if (d.code == code) return &d;
    }
    return nullptr;
  }
};

inline std::unique_ptr<BuiltModel> build(std::vector<std::pair<std::string, std::string>> files) {
  auto built = std::make_unique<BuiltModel>();
  for (auto& [path, text] : files) built->workspace.documents.push_back(model::make_document(path, std::move(text), path));
  built->model = model::build_model(built->workspace, built->diagnostics);
  return built;
}

}  // namespace kpilint::test
