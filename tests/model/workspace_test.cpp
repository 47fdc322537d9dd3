#include <catch2/catch.hpp>

#include "model/loader.hpp"
#include "model/suggest.hpp"
#include "model/workspace.hpp"
#include "support.hpp"

namespace fs = std::filesystem;
namespace model = kpilint::model;
using kpilint::test::TempDir;

TEST_CASE("glob patterns", "[model][workspace]") {
  CHECK(model::glob_match("vendor/**", "vendor/a/b.kpi"));
  CHECK(model::glob_match("**/*.kpi", "a/b/c.kpi"));
  CHECK(model::glob_match("**/*.kpi", "c.kpi"));
  CHECK(model::glob_match("*.kpi", "c.kpi"));
  CHECK_FALSE(model::glob_match("*.kpi", "a/c.kpi"));
  CHECK(model::glob_match("draft_?.kpi", "draft_1.kpi"));
  CHECK_FALSE(model::glob_match("draft_?.kpi", "draft_10.kpi"));
}

TEST_CASE("the root is the nearest kpilint.toml, else the git top level, else the fallback", "[model][workspace]") {
  TempDir tmp;
  tmp.write("repo/.git/HEAD", "ref: refs/heads/main\n");
  tmp.write("repo/teams/kpilint.toml", "");
  tmp.write("repo/teams/growth/a.kpi", "");
  tmp.write("repo/other/b.kpi", "");
  CHECK(model::find_workspace_root(tmp.path() / "repo/teams/growth/a.kpi", "/") == tmp.path() / "repo/teams");
  CHECK(model::find_workspace_root(tmp.path() / "repo/other", "/") == tmp.path() / "repo");
  tmp.write("loose/c.kpi", "");
  CHECK(model::find_workspace_root(tmp.path() / "loose", "/fallback") == "/fallback");
}

TEST_CASE("discovery: path order, hidden directories and excludes skipped, directories named x.kpi walked", "[model][workspace]") {
  TempDir tmp;
  tmp.write("b.kpi", "");
  tmp.write("a/z.kpi", "");
  tmp.write(".hidden/h.kpi", "");
  tmp.write("vendor/v.kpi", "");
  tmp.write("dir.kpi/inside.kpi", "");
  tmp.write("notes.txt", "");
  std::vector<std::string> names;
  for (const auto& p : model::discover_files(tmp.path(), {"vendor/**"})) names.push_back(p.lexically_relative(tmp.path()).generic_string());
  CHECK(names == std::vector<std::string>{"a/z.kpi", "b.kpi", "dir.kpi/inside.kpi"});
}

TEST_CASE("loading: given files are reported, the rest only resolves, overlays replace the disk", "[model][workspace]") {
  TempDir tmp;
  tmp.write("kpilint.toml", "[lint]\nexclude = [\"skip/**\"]\n");
  tmp.write("a.kpi", "kpi a { }\n");
  tmp.write("b.kpi", "kpi b { }\n");
  tmp.write("skip/c.kpi", "kpi c { }\n");
  model::LoadOptions options;
  options.cwd = tmp.path();
  options.paths = {"b.kpi"};
  options.overlays[tmp.path() / "new.kpi"] = "kpi fresh { }\n";
  auto loaded = model::load_workspace(options);
  REQUIRE(loaded.errors.empty());
  std::vector<std::pair<std::string, bool>> docs;
  for (const auto& d : loaded.workspace->documents) docs.emplace_back(d->source->path, d->reported);
  CHECK(docs == std::vector<std::pair<std::string, bool>>{{"a.kpi", false}, {"b.kpi", true}, {"new.kpi", true}});
}

TEST_CASE("loading: a missing path and an unreadable file are errors", "[model][workspace]") {
  TempDir tmp;
  tmp.write("kpilint.toml", "");
  model::LoadOptions options;
  options.cwd = tmp.path();
  options.paths = {"nope.kpi"};
  auto loaded = model::load_workspace(options);
  CHECK(loaded.file_errors == std::vector<std::string>{"nope.kpi: no such file or directory"});
}

TEST_CASE("loading: when no named path exists, the workspace is not read", "[model][workspace]") {
  TempDir tmp;
  tmp.write("kpilint.toml", "");
  tmp.write("a.kpi", "kpi a { }\n");
  model::LoadOptions options;
  options.cwd = tmp.path();
  SECTION("none exists") {
    options.paths = {"nope.kpi", "gone/"};
    auto loaded = model::load_workspace(options);
    CHECK(loaded.file_errors ==
          std::vector<std::string>{"nope.kpi: no such file or directory", "gone/: no such file or directory"});
    REQUIRE(loaded.workspace);
    CHECK(loaded.workspace->documents.empty());
  }
  SECTION("one exists: the workspace is read, the missing one is an error") {
    options.paths = {"nope.kpi", "a.kpi"};
    auto loaded = model::load_workspace(options);
    CHECK(loaded.file_errors == std::vector<std::string>{"nope.kpi: no such file or directory"});
    REQUIRE(loaded.workspace->documents.size() == 1);
    CHECK(loaded.workspace->documents[0]->reported);
  }
}

TEST_CASE("config: unknown keys get the closest valid name", "[model][config]") {
  std::vector<std::string> errors;
  auto config = model::parse_config("[lint]\nignor = [\"KPI110\"]\n[lint.options]\nmax_kpis_per_objective = 3\n", "kpilint.toml", errors);
  CHECK(errors == std::vector<std::string>{"kpilint.toml:2:1: unknown key 'ignor' in [lint]; did you mean 'ignore'?"});
  CHECK(std::get<std::int64_t>(config.options.at("max_kpis_per_objective")) == 3);
  errors.clear();
  model::parse_config("[lint\n", "kpilint.toml", errors);
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].rfind("kpilint.toml:1:", 0) == 0);
}

TEST_CASE("suggestions: nearest names for several typos in one pass over the names", "[model]") {
  std::vector<std::string> names;
  for (int i = 0; i < 2000; ++i) names.push_back("metric_" + std::to_string(i));
  names.push_back("pickleball_revenue");
  names.push_back("pickleball_revenue_eu");  // a kind the first query does not accept
  model::NearestNames nearest;
  const auto deletion = nearest.add_query("pickleball_revnue", 1u);
  const auto transposition = nearest.add_query("pickelball_revenue", 1u);
  const auto far = nearest.add_query("something_else_entirely", 1u);
  const auto other_kind = nearest.add_query("pickleball_revenue_e", 2u);
  const auto digit = nearest.add_query("metric_17x", 1u);
  for (std::uint32_t i = 0; i < names.size(); ++i) nearest.offer(names[i], i + 1 == names.size() ? 2u : 1u, i);
  REQUIRE(nearest.best(deletion));
  CHECK(names[*nearest.best(deletion)] == "pickleball_revenue");
  REQUIRE(nearest.best(transposition));
  CHECK(names[*nearest.best(transposition)] == "pickleball_revenue");
  CHECK_FALSE(nearest.best(far));
  REQUIRE(nearest.best(other_kind));
  CHECK(names[*nearest.best(other_kind)] == "pickleball_revenue_eu");
  REQUIRE(nearest.best(digit));
  CHECK(names[*nearest.best(digit)] == "metric_17");  // ties: metric_170..179 are as close; the first name wins
  CHECK(model::edit_distance("kitten", "sitting", 5) == 3);
}
