// The pre-commit hook, with Debian's real `pre-commit` in a throwaway git
// repository that uses this repository's .pre-commit-hooks.yaml.
#include <catch2/catch.hpp>

#include <cstdio>
#include <cstdlib>
#include <fstream>

#include "support.hpp"

namespace fs = std::filesystem;
using kpilint::test::source_dir;
using kpilint::test::TempDir;

namespace {

struct Shell {
  int code;
  std::string out;
};

Shell sh(const std::string& command) {
  Shell result{-1, {}};
  FILE* pipe = ::popen((command + " 2>&1").c_str(), "r");
  if (!pipe) return result;
  char buffer[4096];
  while (std::fgets(buffer, sizeof buffer, pipe)) result.out += buffer;
  const int status = ::pclose(pipe);
  result.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

std::string quote(const fs::path& p) { return "'" + p.string() + "'"; }

const char* kBusiness = R"(use std.marketing
person ceo { name: "Dana" function: executive }
objective grow { title: "Grow" owner: @ceo review: quarterly }
kpi revenue_total {
  title: "Revenue"
  level: business
  objective: grow
  metric: revenue
  owner: @ceo
  source: "erp"
  target: >= 10M USD by 2026-12-31 ± 5%
}
kpi buyer_nps {
  title: "NPS"
  level: business
  objective: grow
  metric: nps
  owner: @ceo
  source: "survey"
  target: >= 40 by 2026-Q4 ± 3
}
)";

const char* kMarketing = R"(use std.marketing
kpi web_conversion {
  title: "Conversion"
  level: marketing
  parent: revenue_total
  metric: conversion_rate
  owner: @ceo
  source: "ga4"
  target: >= 3% by 2026-Q4 ± 0.2%
}
)";

}  // namespace

TEST_CASE("pre-commit runs the kpilint hook on the staged files", "[e2e][pre-commit]") {
  if (sh("command -v pre-commit").code != 0) {
    WARN("skipped: pre-commit is not installed (make test installs Debian's pre-commit)");
    return;
  }
  const auto head = sh("git -C " + quote(source_dir()) + " rev-parse HEAD");
  const auto dirty = sh("git -C " + quote(source_dir()) + " diff --quiet HEAD -- .pre-commit-hooks.yaml");
  if (head.code != 0 || dirty.code != 0) {
    WARN("skipped: the source tree is not a git checkout with .pre-commit-hooks.yaml committed");
    return;
  }
  const std::string rev = head.out.substr(0, head.out.find('\n'));
  TempDir tmp;
  const fs::path repo = tmp.path() / "repo";
  fs::create_directories(repo);
  const std::string env = "cd " + quote(repo) + " && export PRE_COMMIT_HOME=" + quote(tmp.path() / "cache") +
                          " PATH=" + quote(fs::path(KPILINT_BINARY).parent_path()) + ":$PATH " +
                          "GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@t GIT_COMMITTER_NAME=t GIT_COMMITTER_EMAIL=t@t && ";
  REQUIRE(sh(env + "git init -q -b main .").code == 0);
  tmp.write("repo/.pre-commit-config.yaml", "repos:\n  - repo: " + source_dir().string() + "\n    rev: " + rev +
                                                "\n    hooks:\n      - id: kpilint\n");
  REQUIRE(sh(env + "pre-commit install").code == 0);

  // A clean commit passes.
  tmp.write("repo/business.kpi", kBusiness);
  tmp.write("repo/marketing.kpi", kMarketing);
  auto commit = sh(env + "git add -A && git commit -qm clean");
  INFO(commit.out);
  CHECK(commit.code == 0);

  // Touching only marketing.kpi, whose parent lives in the untouched
  // business.kpi, passes: the workspace is loaded to resolve it.
  std::string edited = kMarketing;
  edited.replace(edited.find("\"ga4\""), 5, "\"ga4.events\"");
  tmp.write("repo/marketing.kpi", edited);
  commit = sh(env + "git add marketing.kpi && git commit -qm 'edit marketing'");
  INFO(commit.out);
  CHECK(commit.code == 0);

  // A commit that breaks a rule is refused, with the finding printed.
  edited.replace(edited.find("  owner: @ceo\n"), 13, "");
  tmp.write("repo/marketing.kpi", edited);
  commit = sh(env + "git add marketing.kpi && git commit -qm 'drop the owner'");
  INFO(commit.out);
  CHECK(commit.code != 0);
  CHECK(commit.out.find("KPI101") != std::string::npos);
  CHECK(commit.out.find("marketing.kpi:2:5") != std::string::npos);
  CHECK(sh(env + "git log --oneline | wc -l").out == "2\n");
}
