#pragma once
// Helpers for the rule tests: rule-file errors as "line:col: message",
// in-memory workspaces, and running a pack over them.
#include <memory>
#include <string>
#include <tuple>
#include <vector>

#include "base/diagnostic.hpp"
#include "model/model.hpp"
#include "model/workspace.hpp"
#include "rules/evaluator.hpp"
#include "rules/rule_pack.hpp"

namespace kpilint::test {

inline std::pair<std::uint32_t, std::uint32_t> line_col(const Diagnostic& d) {
  const auto at = d.location.file->lines().position(d.location.span.begin, Encoding::Utf32);
  return {at.line + 1, at.column + 1};
}

// "line:col: message" of every error of adding `text` as a rule file to a copy
// of the built-in pack (or to an empty pack).
inline std::vector<std::string> rule_errors(const std::string& text, bool with_builtin = true) {
  rules::RulePack pack = with_builtin ? rules::RulePack::builtin() : rules::RulePack();
  std::vector<Diagnostic> errors;
  pack.add_file("custom.rules", text, errors);
  std::vector<std::string> out;
  for (const auto& d : errors) {
    const auto [line, col] = line_col(d);
    out.push_back(std::to_string(line) + std::string(":").append(std::to_string(col)) + ": " + d.message);
  }
  return out;
}

struct Linted {
  std::unique_ptr<model::Workspace> workspace;
  std::unique_ptr<model::Model> model;
  std::vector<Diagnostic> language;  // KPI001–KPI007
  std::vector<Diagnostic> findings;  // from the rules
};

inline Linted lint_text(const std::string& text, const rules::RulePack& pack,
                        const std::map<std::string, model::OptionValue>* options = nullptr,
                        std::vector<std::string> more_files = {}) {
  Linted out;
  out.workspace = std::make_unique<model::Workspace>();
  out.workspace->root = "/ws";
  out.workspace->documents.push_back(model::make_document("a.kpi", text, "/ws/a.kpi"));
  for (std::size_t i = 0; i < more_files.size(); ++i) {
    const std::string name = std::string("b").append(std::to_string(i)) + ".kpi";
    out.workspace->documents.push_back(model::make_document(name, more_files[i], "/ws/" + name));
  }
  for (const auto& doc : out.workspace->documents) {
    for (const auto& e : doc->tree.errors) {
      Diagnostic d;
      d.location = {doc->source.get(), e.span};
      d.code = "KPI001";
      d.message = e.message;
      out.language.push_back(d);
    }
  }
  out.model = model::build_model(*out.workspace, out.language);
  rules::EvalContext context;
  context.options = options;
  rules::evaluate(pack, *out.model, context, out.findings);
  return out;
}

// "line:col CODE" of each finding, in order.
inline std::vector<std::string> where(const std::vector<Diagnostic>& ds) {
  std::vector<std::string> out;
  for (const auto& d : ds) {
    const auto [line, col] = line_col(d);
    out.push_back(std::to_string(line) + std::string(":").append(std::to_string(col)) + " " + d.code);
  }
  return out;
}

}  // namespace kpilint::test
