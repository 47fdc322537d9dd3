#include <catch2/catch.hpp>

#include <chrono>
#include <thread>
#include <map>
#include <memory>

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

// The language server loads the workspace again after every change and
// takes over the documents whose text did not change. A taken-over document
// outlives the load that made it (with the arena it lives in): the first
// workspace is gone before the second is used, which ASan checks in CI.
TEST_CASE("loading again: unchanged documents are taken over, changed ones parsed again", "[model][workspace]") {
  TempDir tmp;
  tmp.write("a.kpi", "kpi a { level: business }\n");
  tmp.write("b.kpi", "kpi b { level: business }\n");
  tmp.write("c.kpi", "kpi c { level: business }\n");
  tmp.write("d.kpi", "kpi d { level: business }\n");
  const fs::path open_file = tmp.path() / "d.kpi";
  model::LoadOptions options;
  options.cwd = tmp.path();
  options.root = tmp.path();
  options.overlays[open_file] = "kpi d { level: business }\n# typed\n";
  auto first = model::load_workspace(options);
  REQUIRE(first.workspace->documents.size() == 4);
  CHECK(first.timings.reused == 0);
  const auto by_name = [](const model::LoadedWorkspace& loaded) {
    std::map<std::string, const model::Document*> out;  // not owning: a load's documents go with it
    for (const auto& d : loaded.workspace->documents) out[d->source->path] = d.get();
    return out;
  };
  const auto before = by_name(first);

  tmp.write("b.kpi", "kpi b { level: marketing }\n");  // same size and name, other bytes
  tmp.write("e.kpi", "kpi e { }\n");                   // new
  options.previous = first.workspace.get();
  auto second = model::load_workspace(options);  // the same overlay text for d.kpi
  const auto after = by_name(second);
  REQUIRE(after.size() == 5);
  CHECK(second.timings.reused == 3);
  CHECK(after.at("a.kpi") == before.at("a.kpi"));
  CHECK(after.at("c.kpi") == before.at("c.kpi"));
  CHECK(after.at("d.kpi") == before.at("d.kpi"));
  CHECK(after.at("b.kpi") != before.at("b.kpi"));
  CHECK(after.at("b.kpi")->source->text == "kpi b { level: marketing }\n");

  // A changed overlay is parsed again; a file asked for by name is shown
  // differently (reported), so it is not taken over either.
  options.previous = second.workspace.get();
  options.overlays[open_file] = "kpi d { level: marketing }\n";
  options.paths = {"a.kpi"};
  first = {};  // the first load is gone: what was taken over must not depend on it
  auto third = model::load_workspace(options);
  const auto last = by_name(third);
  CHECK(third.timings.reused == 1);  // only a.kpi: it is still reported, every other file no longer is
  CHECK(last.at("a.kpi") == after.at("a.kpi"));
  CHECK(last.at("c.kpi") != after.at("c.kpi"));
  CHECK(last.at("d.kpi")->source->text == "kpi d { level: marketing }\n");
  CHECK(last.at("a.kpi")->reported);
  CHECK_FALSE(last.at("c.kpi")->reported);

  // Everything taken over still reads: names, fields and their text.
  second = {};
  options.previous = third.workspace.get();
  auto fourth = model::load_workspace(options);
  CHECK(fourth.timings.reused == 5);
  for (const auto& d : fourth.workspace->documents) {
    REQUIRE(d->tree.decls.size() == 1);
    CHECK(d->source->slice(d->tree.decls[0].name_span) == d->tree.decls[0].name());
  }
  third = {};
  CHECK(by_name(fourth).at("b.kpi")->tree.decls[0].fields[0].value.text() == "marketing");
}

// A file not modified shortly before a load found its text to be the file's
// is taken over by stat alone; any write changes its stamp (the change time
// at least) and it is read again. A recent one is read and compared: the
// clock that stamps files is coarse. The test waits for its files to age.
TEST_CASE("loading again: files that stat says are unchanged are not read again", "[model][workspace]") {
  TempDir tmp;
  tmp.write("a.kpi", "kpi a { level: business }\n");
  tmp.write("b.kpi", "kpi b { level: business }\n");
  model::LoadOptions options;
  options.cwd = tmp.path();
  options.root = tmp.path();
  auto first = model::load_workspace(options);
  options.previous = first.workspace.get();
  auto second = model::load_workspace(options);  // written just before the first load: read and compared
  CHECK(second.timings.reused == 2);
  CHECK(second.timings.unread == 0);

  std::this_thread::sleep_for(std::chrono::milliseconds(2100));
  options.previous = second.workspace.get();
  auto third = model::load_workspace(options);  // read and compared once more, now long after the writes
  CHECK(third.timings.reused == 2);
  CHECK(third.timings.unread == 0);
  options.previous = third.workspace.get();
  auto fourth = model::load_workspace(options);  // stat is enough
  CHECK(fourth.timings.reused == 2);
  CHECK(fourth.timings.unread == 2);

  tmp.write("b.kpi", "kpi b { level: business }\n");  // written again, the same bytes: read, compared, parsed again
  options.previous = fourth.workspace.get();
  auto fifth = model::load_workspace(options);
  CHECK(fifth.timings.unread == 1);
  CHECK(fifth.timings.reused == 1);
  REQUIRE(fifth.workspace->documents.size() == 2);
  CHECK(fifth.workspace->documents[0] == fourth.workspace->documents[0]);
  CHECK(fifth.workspace->documents[1] != fourth.workspace->documents[1]);
  CHECK(fifth.workspace->documents[1]->source->text == "kpi b { level: business }\n");
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
