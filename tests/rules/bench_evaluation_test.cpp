// A hidden micro-benchmark: every built-in rule over a generated workspace of
// 100,000 KPIs. Run with `kpilint_rules_tests "[.bench]"` on a Release build.
#include <catch2/catch.hpp>

#include <chrono>
#include <iostream>

#include "rule_test_support.hpp"

using namespace kpilint;

TEST_CASE("evaluation over 100,000 KPIs", "[.bench]") {
  auto workspace = std::make_unique<model::Workspace>();
  const int files = 100, per_file = 1000;
  for (int f = 0; f < files; ++f) {
    std::string text = "use std.marketing\nperson owner_" + std::to_string(f) + " { name: \"O\" function: demand_gen }\n";
    text += "objective goal_" + std::to_string(f) + " { title: \"G\" owner: @owner_" + std::to_string(f) + " review: quarterly }\n";
    for (int k = 0; k < per_file; ++k) {
      const std::string name = "kpi_" + std::to_string(f) + "_" + std::to_string(k);
      const bool business = k % 50 == 0;
      text += "kpi " + name + " {\n  title: \"K\"\n  level: " + (business ? "business" : "marketing") + "\n";
      if (business) {
        text += "  objective: goal_" + std::to_string(f) + "\n";
      } else {
        text += "  parent: kpi_" + std::to_string(f) + "_" + std::to_string(k - k % 50) + "\n";
      }
      text += std::string("  metric: ") + (k % 3 == 0 ? "revenue" : k % 3 == 1 ? "conversion_rate" : "nps") + "\n";
      text += "  owner: @owner_" + std::to_string(f) + "\n  source: \"s\"\n  seasonal: true\n  compare: yoy\n";
      text += "  target: >= 10 by 2026-12-31 ± 1\n}\n";
    }
    workspace->documents.push_back(
        model::make_document("f" + std::to_string(f) + ".kpi", text, "/ws/f" + std::to_string(f) + ".kpi"));
  }
  std::vector<Diagnostic> language;
  auto model = model::build_model(*workspace, language);
  const auto& pack = rules::RulePack::builtin();
  std::vector<Diagnostic> out;
  const auto start = std::chrono::steady_clock::now();
  rules::evaluate(pack, *model, {}, out);
  const auto ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  std::cout << "evaluate: " << ms << " ms, " << out.size() << " findings, " << language.size() << " language\n";
  CHECK(ms > 0);
}
