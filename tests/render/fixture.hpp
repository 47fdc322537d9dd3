#pragma once
// Shared by the renderer tests: two hand-written source files, the diagnostics
// a run over them could produce, and golden-file comparison.
//
// Regenerate the golden files after an intended change with
//   KPILINT_UPDATE_GOLDEN=1 ./build/tests/kpilint_render_tests
// and review the diff.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "base/diagnostic.hpp"
#include "render/render.hpp"
#include "rules/rule_info.hpp"

namespace kpilint::render::test {

// Line 19 has two-byte characters and an emoji before `prent`; line 20 starts
// with a tab; lines 14-15 hold a range that spans lines.
inline constexpr std::string_view kGrowth =
    "# Growth KPIs for the Brazil launch\n"                    // 1
    "use std.marketing\n"                                       // 2
    "\n"                                                        // 3
    "objective grow_revenue {\n"                                // 4
    "  title: \"Crescer a receita em S\u00e3o Paulo\"\n"        // 5
    "}\n"                                                       // 6
    "\n"                                                        // 7
    "# Revenue is the north star.\n"                            // 8
    "\n"                                                        // 9
    "\n"                                                        // 10
    "kpi total_revenue {\n"                                     // 11
    "  metric: revenue\n"                                       // 12
    "  source: \"warehouse.revenue\"\n"                         // 13
    "  target: 1200000\n"                                       // 14
    "    by 2025-12-31\n"                                       // 15
    "}\n"                                                       // 16
    "\n"                                                        // 17
    "kpi paid_conversion {\n"                                   // 18
    "  title: \"\u00e7 \u00e3 \U0001F600\", prent: total_revenue\n"  // 19
    "\towner: @nobdy\n"                                         // 20
    "}\n";                                                      // 21

inline constexpr std::string_view kOther =
    "# Duplicated by mistake\n"
    "\n"
    "kpi total_revenue {\n"
    "  owner: @nobody\n"
    "}\n";

// The span of the `occurrence`-th (0-based) `needle` in `file`, or from the
// start of `from` to the end of `to` when both are given.
inline Span find(const SourceFile& file, std::string_view needle, int occurrence = 0) {
  std::size_t at = 0;
  for (int i = 0;; ++i) {
    at = file.text.find(needle, at);
    if (at == std::string::npos) throw std::runtime_error("not in source: " + std::string(needle));
    if (i == occurrence) break;
    at += needle.size();
  }
  return {static_cast<std::uint32_t>(at), static_cast<std::uint32_t>(at + needle.size())};
}

inline Diagnostic make(const SourceFile& file, Span span, Severity severity, std::string code, std::string rule,
                       std::string message, std::string help = {}) {
  Diagnostic d;
  d.location = {&file, span};
  d.severity = severity;
  d.code = std::move(code);
  d.rule = std::move(rule);
  d.message = std::move(message);
  d.help = std::move(help);
  return d;
}

// Diagnostics over `growth` (and `other`, when given), sorted.
inline std::vector<Diagnostic> growth_diagnostics(const SourceFile& growth, const SourceFile* other = nullptr) {
  std::vector<Diagnostic> out;
  out.push_back(make(growth, find(growth, "grow_revenue"), Severity::Info, "KPI118", "objective-without-review",
                     "objective 'grow_revenue' has no review cadence",
                     "Add `review: monthly` (or quarterly) so someone looks at it."));
  out.push_back(make(growth, find(growth, "total_revenue"), Severity::Error, "KPI101", "missing-owner",
                     "KPI 'total_revenue' has no owner",
                     "Every KPI needs one accountable owner: add `owner: @someone`."));
  const Span target{find(growth, "1200000").begin, find(growth, "2025-12-31").end};
  out.push_back(make(growth, target, Severity::Info, "KPI109", "target-without-variance",
                     "the target of 'total_revenue' states no acceptable variance"));
  Diagnostic unknown = make(growth, find(growth, "prent"), Severity::Warning, "KPI006", "unknown-field",
                            "unknown field 'prent' in kpi 'paid_conversion'", "did you mean `parent`?");
  unknown.fixes.push_back({"Replace `prent` with `parent`", {{{&growth, find(growth, "prent")}, "parent"}}});
  out.push_back(std::move(unknown));
  out.push_back(make(growth, find(growth, "@nobdy"), Severity::Error, "KPI003", "unresolved-reference",
                     "no person or team named 'nobdy'", "did you mean `@nobody`?"));
  if (other != nullptr) {
    Diagnostic duplicate = make(*other, find(*other, "total_revenue"), Severity::Error, "KPI002",
                                "duplicate-definition", "'total_revenue' is already defined");
    duplicate.related.push_back({{&growth, find(growth, "total_revenue")}, "first defined here"});
    out.push_back(std::move(duplicate));
  }
  return out;
}

// A diagnostic with no file (moved-in strings: assigning literals trips GCC 12's
// -Wrestrict false positive at -O2).
inline Diagnostic fileless(Severity severity, std::string code, std::string rule, std::string message,
                           std::string help = {}) {
  Diagnostic d;
  d.severity = severity;
  d.code = std::move(code);
  d.rule = std::move(rule);
  d.message = std::move(message);
  d.help = std::move(help);
  return d;
}

// A report of thousands of findings (renderers write a large one in two
// halves at once): the sample findings again and again, each message numbered.
inline std::vector<Diagnostic> many_diagnostics(const SourceFile& growth, const SourceFile& other, std::size_t count) {
  const auto some = growth_diagnostics(growth, &other);
  std::vector<Diagnostic> many;
  for (std::size_t i = 0; i < count; ++i) {
    Diagnostic d = some[i % some.size()];
    d.message = "finding " + std::to_string(i);
    many.push_back(std::move(d));
  }
  return many;
}

// A large report rendered whole is the findings rendered one at a time, in
// order, with the summary (when there is one) once at the end.
inline void check_whole_is_each(Format format, std::string_view summary_line) {
  const SourceFile growth("kpis/growth.kpi", std::string(kGrowth));
  const SourceFile other("kpis/other.kpi", std::string(kOther));
  const auto many = many_diagnostics(growth, other, 3001);
  std::string each;
  RenderOptions quiet;
  quiet.quiet = true;
  for (const Diagnostic& d : many) each += render(format, std::span(&d, 1), summarize(std::span(&d, 1), 2), quiet);
  const std::string whole = render(format, many, summarize(many, 2), RenderOptions{});
  REQUIRE(whole.size() >= summary_line.size());
  CHECK(whole.substr(whole.size() - summary_line.size()) == summary_line);
  CHECK(whole.substr(0, whole.size() - summary_line.size()) == each);
}

inline std::vector<rules::RuleInfo> test_rules() {
  std::vector<rules::RuleInfo> out;
  const auto add = [&](std::string code, std::string name, Severity severity, std::string summary,
                       std::string rationale = {}) {
    rules::RuleInfo rule;
    rule.code = std::move(code);
    rule.name = std::move(name);
    rule.default_severity = severity;
    rule.summary = std::move(summary);
    rule.rationale = std::move(rationale);
    rule.builtin_language = rule.code < "KPI100";
    out.push_back(std::move(rule));
  };
  add("KPI002", "duplicate-definition", Severity::Error, "two declarations share a name in one workspace");
  add("KPI003", "unresolved-reference", Severity::Error, "a reference resolves to nothing");
  add("KPI006", "unknown-field", Severity::Warning, "a field the declaration does not have");
  add("KPI101", "missing-owner", Severity::Error, "every KPI has an owner",
      "A KPI nobody owns is a KPI nobody acts on.");
  out.back().examples.push_back({"fails", "kpi revenue {\n  source: \"crm\"\n}\n", true});
  out.back().examples.push_back({"passes", "kpi revenue {\n  owner: @ana\n  source: \"crm\"\n}\n", false});
  add("KPI102", "missing-source", Severity::Error, "every KPI has a data source");
  add("KPI109", "target-without-variance", Severity::Info, "a target states its acceptable variance");
  add("KPI118", "objective-without-review", Severity::Info, "an objective has a review cadence");
  return out;
}

inline std::filesystem::path golden_path(const std::string& name) {
  return std::filesystem::path(KPILINT_SOURCE_DIR) / "tests" / "render" / "golden" / name;
}

// Compares `actual` with the golden file; rewrites it when KPILINT_UPDATE_GOLDEN is set.
inline void check_golden(const std::string& name, const std::string& actual) {
  const auto path = golden_path(name);
  if (std::getenv("KPILINT_UPDATE_GOLDEN") != nullptr) {
    std::ofstream(path, std::ios::binary) << actual;
  }
  std::ifstream in(path, std::ios::binary);
  INFO("golden file " << path.string());
  REQUIRE(in.good());
  std::ostringstream expected;
  expected << in.rdbuf();
  CHECK(actual == expected.str());
}

}  // namespace kpilint::render::test
