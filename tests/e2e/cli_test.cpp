// End-to-end runs of the built binary: exit codes, options, bad input.
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "support.hpp"

using kpilint::test::read_file;
using kpilint::test::run_kpilint;
using kpilint::test::TempDir;
using json = nlohmann::json;

namespace {

const char* kClean = R"(use std.marketing
person ceo { name: "Dana" function: executive }
objective grow {
  title: "Grow"
  owner: @ceo
  review: quarterly
}
kpi revenue_total {
  title: "Revenue"
  level: business
  objective: grow
  metric: revenue
  owner: @ceo
  source: "erp.revenue"
  unit: USD
  target: >= 10M USD by 2026-12-31 ± 5%
}
kpi nps_score {
  title: "NPS"
  level: business
  objective: grow
  metric: nps
  owner: @ceo
  source: "survey.nps"
  target: >= 40 by 2026-Q4 ± 3
}
kpi web_conversion {
  title: "Conversion"
  level: marketing
  parent: revenue_total
  metric: conversion_rate
  owner: @ceo
  source: "ga4.conversion"
  target: >= 3% by 2026-Q4 ± 0.2%
}
)";

json check_json(const TempDir& dir, std::vector<std::string> extra = {}, int* exit_code = nullptr) {
  std::vector<std::string> args = {"check", "--format", "json"};
  args.insert(args.end(), extra.begin(), extra.end());
  const auto result = run_kpilint(args, dir.path());
  INFO(result.err);
  if (exit_code) *exit_code = result.exit_code;
  return json::parse(result.out);
}

std::vector<std::string> codes(const json& report) {
  std::vector<std::string> out;
  for (const auto& d : report["diagnostics"]) out.push_back(d["code"]);
  return out;
}

}  // namespace

TEST_CASE("exit 0 on a clean workspace", "[e2e]") {
  TempDir dir;
  dir.write("kpilint.toml", "");
  dir.write("a.kpi", kClean);
  const auto result = run_kpilint({"check"}, dir.path());
  INFO(result.out << result.err);
  CHECK(result.exit_code == 0);
  const auto report = check_json(dir);
  CHECK(codes(report) == std::vector<std::string>{});
  CHECK(report["summary"]["files"] == 1);
}

TEST_CASE("exit 1 on errors, --exit-zero turns it to 0", "[e2e]") {
  TempDir dir;
  dir.write("kpilint.toml", "");
  dir.write("a.kpi", std::string(kClean) + "kpi orphan { title: \"o\" level: marketing owner: @ceo source: \"s\" aggregation: sum weekly target: >= 1 by 2026-Q1 ± 1 }\n");
  CHECK(run_kpilint({"check"}, dir.path()).exit_code == 1);
  CHECK(run_kpilint({"check", "--exit-zero"}, dir.path()).exit_code == 0);
}

TEST_CASE("warnings: exit 0 unless --max-warnings is exceeded", "[e2e]") {
  TempDir dir;
  dir.write("kpilint.toml", "");
  dir.write("a.kpi", std::string(kClean) + "person extra { nmae: \"x\" }\n");  // KPI006, a warning
  int code = -1;
  const auto report = check_json(dir, {}, &code);
  CHECK(codes(report) == std::vector<std::string>{"KPI006"});
  CHECK(code == 0);
  CHECK(run_kpilint({"check", "--max-warnings", "0"}, dir.path()).exit_code == 1);
  CHECK(run_kpilint({"check", "--max-warnings", "1"}, dir.path()).exit_code == 0);
}

TEST_CASE("exit 2 on usage, configuration and I/O errors", "[e2e]") {
  TempDir dir;
  dir.write("kpilint.toml", "");
  dir.write("a.kpi", kClean);
  SECTION("unknown option") {
    const auto r = run_kpilint({"check", "--frobnicate"}, dir.path());
    CHECK(r.exit_code == 2);
    CHECK_FALSE(r.err.empty());
  }
  SECTION("unknown format") { CHECK(run_kpilint({"check", "--format", "xml"}, dir.path()).exit_code == 2); }
  SECTION("a path that does not exist") {
    const auto r = run_kpilint({"check", "missing.kpi"}, dir.path());
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("missing.kpi: no such file or directory") != std::string::npos);
    // Nothing was checked: no report, not "All checks passed (0 files)".
    CHECK(r.out.empty());
    CHECK(run_kpilint({"check", "--format", "json", "missing.kpi"}, dir.path()).out.empty());
  }
  SECTION("a missing path beside a real one: the real one is checked, the summary says what was not") {
    const auto r = run_kpilint({"check", "a.kpi", "missing.kpi"}, dir.path());
    CHECK(r.exit_code == 2);
    CHECK(r.out == "No problems found in 1 file, but 1 file could not be read.\n");
    CHECK(r.err == "kpilint: error: missing.kpi: no such file or directory\n");
  }
  SECTION("unknown rule in kpilint.toml, with a suggestion") {
    dir.write("kpilint.toml", "[lint]\nignore = [\"vanity-metrc\"]\n");
    const auto r = run_kpilint({"check"}, dir.path());
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("unknown rule 'vanity-metrc' in ignore; did you mean 'vanity-metric'?") != std::string::npos);
  }
  SECTION("a language error cannot be reconfigured") {
    dir.write("kpilint.toml", "[lint]\nseverity = { KPI003 = \"warning\" }\n");
    CHECK(run_kpilint({"check"}, dir.path()).exit_code == 2);
  }
  SECTION("invalid TOML") {
    dir.write("kpilint.toml", "[lint\n");
    const auto r = run_kpilint({"check"}, dir.path());
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("kpilint.toml:1:") != std::string::npos);
  }
  SECTION("unknown subcommand") { CHECK(run_kpilint({"frob"}, dir.path()).exit_code == 2); }
}

TEST_CASE("a syntax error is a finding (exit 1), and valid declarations after it are still checked", "[e2e]") {
  TempDir dir;
  dir.write("kpilint.toml", "");
  dir.write("a.kpi", std::string(kClean) + "kpi broken {\n  level: : business\n}\nkpi after { title: \"x\" }\n");
  int code = -1;
  const auto report = check_json(dir, {}, &code);
  CHECK(code == 1);
  const auto found = codes(report);
  CHECK(std::count(found.begin(), found.end(), "KPI001") == 1);
  CHECK(std::count(found.begin(), found.end(), "KPI101") == 1);  // `after` has no owner
}

TEST_CASE("check FILE reports only on that file but resolves against the whole workspace", "[e2e]") {
  TempDir dir;
  dir.write("kpilint.toml", "");
  dir.write("a.kpi", kClean);
  dir.write("b.kpi", "kpi child { title: \"c\" level: marketing parent: revenue_total owner: @ceo source: \"s\" aggregation: sum weekly target: >= 1 by 2026-Q1 ± 1 }\n");
  dir.write("c.kpi", "kpi broken_elsewhere { }\n");
  const auto report = check_json(dir, {"b.kpi"});
  CHECK(codes(report) == std::vector<std::string>{});
  CHECK(report["summary"]["files"] == 1);
}

TEST_CASE("stdin: --stdin-filename replaces the file's text with standard input", "[e2e]") {
  TempDir dir;
  dir.write("kpilint.toml", "");
  dir.write("a.kpi", kClean);
  dir.write("b.kpi", "kpi on_disk { }\n");
  const auto r = run_kpilint({"check", "--format", "json", "--select", "KPI101", "--stdin-filename", "b.kpi"}, dir.path(),
                             "kpi from_stdin { parent: nowhere }\n");
  const auto report = json::parse(r.out);
  CHECK(codes(report) == std::vector<std::string>{"KPI101", "KPI003"});  // position order
  for (const auto& d : report["diagnostics"]) CHECK(d["file"] == "b.kpi");
  CHECK(report["summary"]["files"] == 1);
}

TEST_CASE("the path '-' reads standard input", "[e2e]") {
  TempDir dir;
  dir.write("kpilint.toml", "");
  const auto r = run_kpilint({"check", "--format", "json", "--select", "KPI101", "-"}, dir.path(), "kpi x { parent: nowhere }\n");
  const auto report = json::parse(r.out);
  CHECK(codes(report) == std::vector<std::string>{"KPI101", "KPI003"});
  CHECK(report["diagnostics"][0]["file"] == "stdin.kpi");
}

TEST_CASE("bad input never crashes or hangs", "[e2e][bad-input]") {
  TempDir dir;
  dir.write("kpilint.toml", "");
  SECTION("invalid UTF-8") {
    dir.write("a.kpi", "kpi caf\xC3 { title: \"\xFF\xFE\" }\n");
    int code = -1;
    const auto report = check_json(dir, {}, &code);
    CHECK(code == 1);
    CHECK(codes(report).at(0) == "KPI001");
  }
  SECTION("NUL bytes") {
    dir.write("a.kpi", std::string("kpi a {\0 }\n", 11));
    int code = -1;
    const auto report = check_json(dir, {}, &code);
    CHECK(code == 1);
    CHECK(codes(report).at(0) == "KPI001");
  }
  SECTION("a 10 MB single line") {
    dir.write("a.kpi", "# " + std::string(10 * 1024 * 1024, 'x'));
    int code = -1;
    check_json(dir, {}, &code);
    CHECK(code == 0);
    dir.write("a.kpi", "kpi a { title: \"" + std::string(10 * 1024 * 1024, 'y'));
    const auto r = run_kpilint({"check", "--format", "text"}, dir.path());
    CHECK(r.exit_code == 1);
    CHECK(r.out.size() < 100000);  // the caret line is clipped, not 10 MB of it
  }
  SECTION("10,000-deep nested lists") {
    dir.write("a.kpi", "kpi a { set_by: " + std::string(10000, '[') + std::string(10000, ']') + " }\n");
    int code = -1;
    const auto report = check_json(dir, {}, &code);
    CHECK(code == 1);
    CHECK(codes(report).at(0) == "KPI001");
  }
  SECTION("an empty file") {
    dir.write("a.kpi", "");
    int code = -1;
    check_json(dir, {}, &code);
    CHECK(code == 0);
  }
  SECTION("binary garbage") {
    std::string garbage;
    for (int i = 0; i < 4096; ++i) garbage.push_back(static_cast<char>((i * 7919) % 256));
    dir.write("a.kpi", garbage);
    const auto r = run_kpilint({"check"}, dir.path());
    CHECK(r.exit_code == 1);
  }
  SECTION("a directory named x.kpi is walked, not read") {
    dir.write("x.kpi/inner.kpi", kClean);
    int code = -1;
    const auto report = check_json(dir, {}, &code);
    CHECK(code == 0);
    CHECK(report["summary"]["files"] == 1);
  }
  SECTION("a file that vanished (a dangling symlink) is an error with exit 2, the rest is still checked") {
    dir.write("b.kpi", kClean);
    std::filesystem::create_symlink(dir.path() / "gone.kpi", dir.path() / "a.kpi");
    const auto r = run_kpilint({"check", "--format", "json"}, dir.path());
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("cannot read a.kpi") != std::string::npos);
    CHECK(json::parse(r.out)["summary"]["files"] == 1);
  }
  SECTION("an unreadable file is an error with exit 2") {
    if (::geteuid() == 0) {
      WARN("skipped: running as root, every file is readable");
    } else {
      const auto path = dir.write("a.kpi", kClean);
      ::chmod(path.c_str(), 0);
      const auto r = run_kpilint({"check"}, dir.path());
      CHECK(r.exit_code == 2);
      CHECK(r.err.find("cannot read a.kpi") != std::string::npos);
    }
  }
}

TEST_CASE("syntax-only mode reports syntax errors and nothing that needs resolution or rules", "[e2e]") {
  TempDir dir;
  dir.write("kpilint.toml", "");
  dir.write("a.kpi", std::string(kClean) +
                         "kpi broken {\n  level:\n}\n"                 // KPI001 at line +2
                         "kpi orphan { parent: nowhere }\n"            // KPI003 and rules, not parsed-only findings
                         "# kpilint: ignore KPI101\nkpi quiet { title: \"q\" }\n");
  int code = -1;
  const auto full = check_json(dir, {}, &code);
  CHECK(code == 1);
  const auto all_codes = codes(full);
  CHECK(std::count(all_codes.begin(), all_codes.end(), "KPI003") == 1);
  const auto syntax = check_json(dir, {"--syntax-only"}, &code);
  CHECK(code == 1);
  CHECK(codes(syntax) == std::vector<std::string>{"KPI001"});
  CHECK(syntax["summary"]["files"] == 1);
  dir.write("a.kpi", std::string(kClean) + "kpi orphan { parent: nowhere }\n");
  CHECK(codes(check_json(dir, {"--syntax-only"}, &code)) == std::vector<std::string>{});
  CHECK(code == 0);
}

TEST_CASE("a file of 4 GiB or more is refused before it is read (exit 2), the rest is still checked", "[e2e][bad-input]") {
  TempDir dir;
  dir.write("a.kpi", "person a { name: \"A\" function: executive }\n");
  const std::filesystem::path huge = dir.write("huge.kpi", "");
  std::error_code ec;
  std::filesystem::resize_file(huge, (std::uintmax_t{1} << 32) + 10, ec);  // sparse: no disk used
  if (ec) {
    WARN("skipped: cannot make a sparse 4 GiB file here: " << ec.message());
    return;
  }
  const auto r = run_kpilint({"check", "--format", "json", "."}, dir.path());
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("cannot read huge.kpi: file too large (4 GiB or more)") != std::string::npos);
  CHECK(json::parse(r.out)["summary"]["files"] == 1);
}

TEST_CASE("a FIFO named like a .kpi file is not part of the workspace (no hang on open)", "[e2e][bad-input]") {
  TempDir dir;
  dir.write("a.kpi", "person a { name: \"A\" function: executive }\n");
  REQUIRE(::mkfifo((dir.path() / "pipe.kpi").c_str(), 0600) == 0);
  const auto r = run_kpilint({"check", "--format", "json"}, dir.path());
  CHECK(r.exit_code == 0);
  CHECK(json::parse(r.out)["summary"]["files"] == 1);
}
