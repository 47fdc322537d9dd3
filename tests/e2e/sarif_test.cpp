// SARIF output checked by Microsoft's validator (@microsoft/sarif-multitool
// from npm, installed by `make test` into tests/e2e/sarif/node_modules).
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <cstdio>

#include "support.hpp"

namespace fs = std::filesystem;
using kpilint::test::read_file;
using kpilint::test::run_kpilint;
using kpilint::test::source_dir;
using kpilint::test::TempDir;
using json = nlohmann::json;

TEST_CASE("SARIF output passes Microsoft's SARIF validator", "[e2e][sarif]") {
  const fs::path tool_dir = source_dir() / "tests/e2e/sarif/node_modules/@microsoft/sarif-multitool-linux";
  const fs::path tool = tool_dir / "Sarif.Multitool";
  if (!fs::exists(tool)) {
    WARN("skipped: the SARIF validator is not installed (make test runs `npm ci` in tests/e2e/sarif)");
    return;
  }
  fs::permissions(tool, fs::perms::owner_exec, fs::perm_options::add);
  TempDir tmp;
  const auto result = run_kpilint({"check", "--format", "sarif"}, source_dir() / "examples/mistakes");
  REQUIRE(result.exit_code == 1);
  const fs::path sarif = tmp.write("kpilint.sarif", result.out);

  // Our own structure first: every rule described, results point into the workspace.
  const json doc = json::parse(result.out);
  const auto& run = doc["runs"][0];
  CHECK(doc["version"] == "2.1.0");
  CHECK(run["tool"]["driver"]["rules"].size() >= 31);
  CHECK(run["columnKind"] == "unicodeCodePoints");
  REQUIRE(run["results"].size() > 5);
  for (const auto& r : run["results"]) {
    CHECK(r["partialFingerprints"].size() == 1);
    const auto& location = r["locations"][0]["physicalLocation"];
    CHECK(location["artifactLocation"]["uri"].get<std::string>().find(".kpi") != std::string::npos);
    CHECK(location["region"]["startLine"].get<int>() >= 1);
  }

  const fs::path report = tmp.path() / "validation.sarif";
  const std::string command = "'" + tool.string() + "' validate --json-schema '" + (tool_dir / "sarif-2.1.0.json").string() +
                              "' --output '" + report.string() + "' '" + sarif.string() + "' 2>&1";
  std::string output;
  FILE* pipe = ::popen(command.c_str(), "r");
  REQUIRE(pipe != nullptr);
  char buffer[4096];
  while (std::fgets(buffer, sizeof buffer, pipe)) output += buffer;
  const int status = ::pclose(pipe);
  INFO(output);
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
  REQUIRE(fs::exists(report));
  std::vector<std::string> errors;
  // Keep the parsed document alive: a range-for over a member of a temporary dangles.
  const json validation = json::parse(read_file(report));
  for (const auto& r : validation["runs"][0]["results"]) {
    if (r.value("level", "warning") == "error") errors.push_back(r["message"].dump());
  }
  CHECK(errors == std::vector<std::string>{});
  CHECK(output.find(" error ") == std::string::npos);
}
