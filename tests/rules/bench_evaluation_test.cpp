// A hidden micro-benchmark: every built-in rule over a generated workspace of
// 100,000 KPIs. Run with `kpilint_rules_tests "[.bench]"` on a Release build.
#include <catch2/catch.hpp>

#include <fmt/format.h>

#include <chrono>
#include <cstdlib>
#include <ctime>
#include <iostream>

#include "rule_test_support.hpp"

using namespace kpilint;

TEST_CASE("evaluation over 100,000 KPIs", "[.bench]") {
  auto workspace = std::make_unique<model::Workspace>();
  const char* env = std::getenv("KPILINT_BENCH_FILES");
  const int files = env ? std::atoi(env) : 100, per_file = 1000;
  for (int f = 0; f < files; ++f) {
    std::string text = fmt::format(
        "use std.marketing\nperson owner_{0} {{ name: \"O\" function: demand_gen }}\n"
        "objective goal_{0} {{ title: \"G\" owner: @owner_{0} review: quarterly }}\n",
        f);
    for (int k = 0; k < per_file; ++k) {
      const bool business = k % 50 == 0;
      const std::string link = business ? fmt::format("objective: goal_{}", f) : fmt::format("parent: kpi_{}_{}", f, k - k % 50);
      const char* metric = k % 3 == 0 ? "revenue" : k % 3 == 1 ? "conversion_rate" : "nps";
      text += fmt::format(
          "kpi kpi_{0}_{1} {{\n  title: \"K\"\n  level: {2}\n  {3}\n  metric: {4}\n  owner: @owner_{0}\n"
          "  source: \"s\"\n  seasonal: true\n  compare: yoy\n  target: >= 10 by 2026-12-31 ± 1\n}}\n",
          f, k, business ? "business" : "marketing", link, metric);
    }
    workspace->documents.push_back(
        model::make_document(fmt::format("f{}.kpi", f), text, fmt::format("/ws/f{}.kpi", f)));
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
  for (int again = 0; again < 3; ++again) {
    std::vector<Diagnostic> more;
    const auto t0 = std::chrono::steady_clock::now();
    const std::clock_t c0 = std::clock();
    rules::evaluate(pack, *model, {}, more);
    std::cout << "evaluate again: "
              << std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count() << " ms wall, "
              << 1000.0 * double(std::clock() - c0) / CLOCKS_PER_SEC << " ms cpu\n";
  }
  for (const auto& info : pack.infos()) {
    if (info.builtin_language) continue;
    rules::EvalContext one;
    one.enabled = [&](std::string_view code) { return code == info.code; };
    std::vector<Diagnostic> found;
    const auto t0 = std::chrono::steady_clock::now();
    rules::evaluate(pack, *model, one, found);
    std::cout << "  " << info.code << ": "
              << std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count() << " ms\n";
  }
}
