#include <catch2/catch.hpp>

#include <set>

#include "rule_test_support.hpp"

using namespace kpilint;

TEST_CASE("the built-in pack has KPI001-KPI008 and KPI101-KPI123 in code order") {
  const auto& pack = rules::RulePack::builtin();
  std::vector<std::string> codes;
  for (const auto& info : pack.infos()) codes.push_back(info.code);
  std::vector<std::string> expected;
  for (int i = 1; i <= 8; ++i) expected.push_back(std::string("KPI00").append(std::to_string(i)));
  for (int i = 101; i <= 123; ++i) expected.push_back(std::string("KPI").append(std::to_string(i)));
  CHECK(codes == expected);
  for (const auto& info : pack.infos()) {
    INFO(info.code);
    CHECK_FALSE(info.summary.empty());
    CHECK_FALSE(info.rationale.empty());
    CHECK(info.builtin_language == (info.code < "KPI100"));
    if (!info.builtin_language) {
      CHECK(info.examples.size() == 2);
      CHECK_FALSE(pack.rule_source(info.code).empty());
    }
  }
  for (const char* fixed : {"KPI001", "KPI002", "KPI003", "KPI004", "KPI005", "KPI007"}) {
    CHECK_FALSE(pack.find(fixed)->configurable);
  }
  CHECK(pack.find("KPI006")->configurable);
  CHECK(pack.find("KPI008")->configurable);
}

TEST_CASE("the built-in rules have the names and default severities of SPEC 2") {
  const auto& pack = rules::RulePack::builtin();
  const std::vector<std::tuple<std::string, std::string, Severity>> table = {
      {"KPI101", "missing-owner", Severity::Error},
      {"KPI102", "missing-source", Severity::Error},
      {"KPI103", "missing-aggregation", Severity::Warning},
      {"KPI104", "orphan-marketing-kpi", Severity::Error},
      {"KPI105", "business-kpi-without-objective", Severity::Error},
      {"KPI106", "unmeasured-objective", Severity::Warning},
      {"KPI107", "target-not-measurable", Severity::Warning},
      {"KPI108", "target-not-time-bound", Severity::Warning},
      {"KPI109", "target-without-variance", Severity::Info},
      {"KPI110", "vanity-metric", Severity::Warning},
      {"KPI111", "too-many-kpis", Severity::Warning},
      {"KPI112", "indicator-balance", Severity::Info},
      {"KPI113", "seasonal-comparison", Severity::Warning},
      {"KPI114", "roas-north-star", Severity::Warning},
      {"KPI115", "target-set-without-marketing", Severity::Info},
      {"KPI116", "mixed-function-owner", Severity::Warning},
      {"KPI117", "leads-outside-demand-gen", Severity::Warning},
      {"KPI118", "objective-without-review", Severity::Info},
      {"KPI119", "no-qualitative-signal", Severity::Info},
      {"KPI120", "rollup-unit-mismatch", Severity::Warning},
      {"KPI121", "experiment-without-stop", Severity::Warning},
      {"KPI122", "naming-convention", Severity::Warning},
      {"KPI123", "missing-title", Severity::Info},
  };
  for (const auto& [code, name, severity] : table) {
    INFO(code);
    const rules::RuleInfo* info = pack.find(code);
    REQUIRE(info != nullptr);
    CHECK(info->name == name);
    CHECK(info->default_severity == severity);
    CHECK(pack.find(name) == info);
  }
  CHECK(pack.find("kpi101") == pack.find("KPI101"));
  CHECK(pack.find("nope") == nullptr);
}

// Every rule's own examples: the failing one produces exactly that code among
// the rule findings, the passing one none of it, and neither has a language error.
TEST_CASE("every built-in rule's examples behave as documented") {
  const auto& pack = rules::RulePack::builtin();
  for (const auto& info : pack.infos()) {
    if (info.builtin_language) continue;
    for (const auto& example : info.examples) {
      INFO(info.code << " example " << example.title << ":\n" << example.text);
      const auto linted = test::lint_text(example.text, pack);
      CHECK(test::where(linted.language).empty());
      std::set<std::string> codes;
      for (const auto& d : linted.findings) codes.insert(d.code);
      INFO("findings: " << Catch::Detail::stringify(test::where(linted.findings)));
      if (example.fails) {
        CHECK(codes == std::set<std::string>{info.code});
      } else {
        CHECK(codes.count(info.code) == 0);
      }
    }
  }
}

TEST_CASE("the passing examples are clean") {
  const auto& pack = rules::RulePack::builtin();
  for (const auto& info : pack.infos()) {
    for (const auto& example : info.examples) {
      if (example.fails) continue;
      INFO(info.code << ":\n" << example.text);
      const auto linted = test::lint_text(example.text, pack);
      CHECK(test::where(linted.findings).empty());
    }
  }
}

TEST_CASE("rules list and explain") {
  const auto& pack = rules::RulePack::builtin();
  const std::string list = rules::format_rule_list(pack);
  CHECK(list.find("KPI101  missing-owner") != std::string::npos);
  CHECK(list.find("KPI001  syntax-error") != std::string::npos);
  const std::string text = rules::format_explanation(*pack.find("KPI113"));
  CHECK(text.rfind("KPI113 seasonal-comparison (warning)", 0) == 0);
  CHECK(text.find("Why it matters:") != std::string::npos);
  CHECK(text.find("Fails:") < text.find("Passes:"));
  CHECK(text.find("compare: mom") != std::string::npos);
  CHECK(text.find("rule KPI113 seasonal-comparison {") != std::string::npos);
  const std::string language = rules::format_explanation(*pack.find("KPI003"));
  CHECK(language.find("cannot be switched off") != std::string::npos);
}
