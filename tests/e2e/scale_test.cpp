// A generated 30,000-KPI workspace (tests/bench/gen_corpus, 360,000 lines):
// large enough for every parallel path (loading, entity making, resolution,
// the did-you-mean scan, rules, line indexes) and for the arenas' huge-page
// chunks, so the sanitizer run of the suite covers them too. The findings
// per code must be exactly the ones the generator injected.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <cstdlib>
#include <map>
#include <string>

#include "support.hpp"

using kpilint::test::run_kpilint;
using kpilint::test::TempDir;

TEST_CASE("a 30,000-KPI generated workspace gives exactly the injected findings", "[e2e][scale]") {
  TempDir dir;
  const std::string command = "python3 '" + (kpilint::test::source_dir() / "tests" / "bench" / "gen_corpus").string() +
                              "' --kpis 30000 --files 300 --out '" + (dir.path() / "ws").string() + "' >/dev/null";
  REQUIRE(std::system(command.c_str()) == 0);
  const auto expected = nlohmann::json::parse(kpilint::test::read_file(dir.path() / "ws" / "expected.json"));

  const auto run = run_kpilint({"check", "--format", "json", "ws"}, dir.path());
  INFO(run.err.substr(0, 2000));
  CHECK(run.exit_code == 1);
  CHECK(run.err.empty());  // under the sanitizers: no report
  const auto report = nlohmann::json::parse(run.out);
  std::map<std::string, int> counts;
  for (const auto& d : report["diagnostics"]) ++counts[d["code"].get<std::string>()];
  std::map<std::string, int> wanted;
  for (const auto& [code, n] : expected["counts"].items()) wanted[code] = n.get<int>();
  CHECK(counts == wanted);
  CHECK(report["summary"]["files"] == 300);
}
