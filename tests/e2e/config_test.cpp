// kpilint.toml, command-line rule selection and suppressions, end to end.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "support.hpp"

using kpilint::test::run_kpilint;
using kpilint::test::TempDir;
using json = nlohmann::json;
using Strings = std::vector<std::string>;

namespace {

// A KPI with no owner (KPI101) and a vanity business KPI (KPI110) serving a
// clean objective.
const char* kWorkspace = R"(use std.marketing
person ceo { name: "Dana" function: executive }
objective grow { title: "Grow" owner: @ceo review: quarterly }
kpi revenue_total {
  title: "Revenue"
  level: business
  objective: grow
  metric: revenue
  source: "erp"
  target: >= 10M USD by 2026-12-31 ± 5%
}
kpi visits {
  title: "Visits"
  level: marketing
  parent: revenue_total
  metric: website_sessions
  owner: @ceo
  source: "ga4"
  target: >= 1M by 2026-12-31 ± 5%
}
)";

Strings findings(const TempDir& dir, std::vector<std::string> extra = {}, int* exit_code = nullptr) {
  std::vector<std::string> args = {"check", "--format", "json"};
  args.insert(args.end(), extra.begin(), extra.end());
  const auto r = run_kpilint(args, dir.path());
  INFO(r.err);
  if (exit_code) *exit_code = r.exit_code;
  const json report = json::parse(r.out);
  Strings out;
  for (const auto& d : report["diagnostics"]) {
    if (d["severity"] == "info") continue;
    out.push_back(std::string(d["file"]) + ":" + std::to_string(int(d["line"])) + ":" + std::string(d["code"]) + ":" +
                  std::string(d["severity"]));
  }
  return out;
}

}  // namespace

TEST_CASE("config: ignore, select and severity by code or rule name", "[e2e][config]") {
  TempDir dir;
  dir.write("a.kpi", kWorkspace);
  dir.write("kpilint.toml", "");
  CHECK(findings(dir) == Strings{"a.kpi:4:KPI101:error"});
  dir.write("kpilint.toml", "[lint]\nignore = [\"missing-owner\"]\n");
  CHECK(findings(dir) == Strings{});
  dir.write("kpilint.toml", "[lint]\nseverity = { KPI101 = \"warning\" }\n");
  int code = -1;
  CHECK(findings(dir, {}, &code) == Strings{"a.kpi:4:KPI101:warning"});
  CHECK(code == 0);
  dir.write("kpilint.toml", "[lint]\nselect = [\"KPI102\"]\n");
  CHECK(findings(dir) == Strings{});
  SECTION("the command line overrides the file") {
    CHECK(findings(dir, {"--select", "KPI101"}) == Strings{"a.kpi:4:KPI101:error"});
    CHECK(findings(dir, {"--select", "KPI1", "--ignore", "KPI101"}) == Strings{});
    CHECK(findings(dir, {"--select", "KPI101", "--severity", "missing-owner=info"}) == Strings{});
  }
}

TEST_CASE("config: options reach the rules", "[e2e][config]") {
  TempDir dir;
  dir.write("a.kpi", kWorkspace);
  dir.write("kpilint.toml", "[lint]\nignore = [\"KPI101\"]\n[lint.options]\nname_pattern = \"^[a-z]+$\"\n");
  const Strings found = findings(dir);
  CHECK(std::count_if(found.begin(), found.end(), [](const std::string& f) { return f.find("KPI122") != std::string::npos; }) == 1);
}

TEST_CASE("suppressions: a declaration ignore, an ignore-file, and KPI008 for the ones that silence nothing", "[e2e][suppress]") {
  TempDir dir;
  dir.write("kpilint.toml", "");
  std::string text = kWorkspace;
  text.replace(text.find("kpi revenue_total {"), 19, "# kpilint: ignore KPI101\nkpi revenue_total {");
  dir.write("a.kpi", text);
  CHECK(findings(dir) == Strings{});
  text.replace(text.find("kpi visits {"), 12, "kpi visits {  # kpilint: ignore vanity-metric, KPI999");
  dir.write("a.kpi", text);
  CHECK(findings(dir) == Strings{"a.kpi:13:KPI008:warning", "a.kpi:13:KPI008:warning"});
  dir.write("a.kpi", "# kpilint: ignore-file KPI101\n# kpilint: ignore-file KPI003\n" + std::string(kWorkspace));
  CHECK(findings(dir) == Strings{"a.kpi:2:KPI008:warning"});  // a language error cannot be silenced
  dir.write("kpilint.toml", "[lint]\nignore = [\"KPI101\"]\n");
  dir.write("a.kpi", "# kpilint: ignore-file KPI101\n" + std::string(kWorkspace));
  CHECK(findings(dir) == Strings{});  // an ignore of a rule the config switched off is not reported
}

TEST_CASE("a custom rule file from kpilint.toml runs like a built-in rule", "[e2e][config]") {
  TempDir dir;
  dir.write("a.kpi", kWorkspace);
  dir.write("policy/finance.rules", R"(rule FIN001 finance-owns-revenue {
  severity: warning
  for: kpi where level == business
  require: has(owner)
  message: "business KPI '{name}' needs an owner from finance"
}
)");
  dir.write("kpilint.toml", "[lint]\nrules = [\"policy/finance.rules\"]\nignore = [\"KPI101\"]\n");
  CHECK(findings(dir) == Strings{"a.kpi:4:FIN001:warning"});
  SECTION("a broken rule file is a configuration error pointing into it") {
    dir.write("policy/finance.rules", "rule FIN001 finance-owns-revenue {\n  severity: warning\n  for: kpi\n  require: has(ownr)\n  message: \"x\"\n}\n");
    const auto r = run_kpilint({"check"}, dir.path());
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("finance.rules:4:") != std::string::npos);
  }
}

TEST_CASE("config: exclude holds for the workspace and `check .`, and a directory named is walked", "[e2e][config]") {
  TempDir dir;
  dir.write("kpilint.toml", "[lint]\nexclude = [\"vendor\"]\n");
  dir.write("a.kpi", "person a { name: \"A\" function: executive }\n");
  dir.write("vendor/x.kpi", "kpi broken {\n");
  dir.write("vendor/sub/vendor/y.kpi", "kpi also_broken {\n");
  int exit_code = -1;
  CHECK(findings(dir, {}, &exit_code).empty());
  CHECK(exit_code == 0);
  CHECK(findings(dir, {"."}, &exit_code).empty());  // before: `.` walked again without the excludes
  CHECK(exit_code == 0);
  // Named, as in ruff: walked even though excluded; its own excluded subdirectory is not.
  CHECK(findings(dir, {"vendor"}, &exit_code) == Strings{"vendor/x.kpi:2:KPI001:error"});
  CHECK(exit_code == 1);
  // A file named is checked whatever the excludes say.
  CHECK(findings(dir, {"vendor/sub/vendor/y.kpi"}) == Strings{"vendor/sub/vendor/y.kpi:2:KPI001:error"});
}
