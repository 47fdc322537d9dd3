// `kpilint graph`: the alignment tree as Graphviz dot and as Mermaid, exactly.
#include <catch2/catch.hpp>

#include <cstdlib>

#include "support.hpp"

using namespace kpilint::test;

namespace {

// Two files: the KPIs name their parents across files; a KPI in a cycle, a
// broken declaration and a stdlib metric stay out of the picture or keep
// their edges as written.
void write_workspace(TempDir& dir) {
  dir.write("kpilint.toml", "");
  dir.write("a_objectives.kpi",
            "objective grow { title: \"Grow \\\"online\\\" revenue\" owner: @ana }\n"
            "person ana { name: \"Ana\" function: demand_gen }\n");
  dir.write("b_kpis.kpi",
            "use std.marketing\n"
            "kpi revenue { title: \"Online revenue\" level: business objective: grow owner: @ana }\n"
            "kpi signups { level: marketing parent: revenue owner: @ana }\n"
            "kpi end { level: marketing parent: signups owner: @ana }\n"
            "kpi broken { level: }\n");
}

}  // namespace

TEST_CASE("graph: dot by default, objectives to business KPIs to marketing KPIs", "[e2e][graph]") {
  TempDir dir;
  write_workspace(dir);
  const auto result = run_kpilint({"graph"}, dir.path());
  INFO(result.err);
  CHECK(result.exit_code == 0);
  CHECK(result.out ==
        "digraph kpilint {\n"
        "  rankdir=LR;\n"
        "  node [fontname=\"Helvetica\"];\n"
        "  \"grow\" [shape=box, style=bold, label=\"Grow \\\"online\\\" revenue\"];\n"
        "  \"revenue\" [shape=ellipse, style=bold, label=\"Online revenue\"];\n"
        "  \"signups\" [shape=ellipse, label=\"signups\"];\n"
        "  \"end\" [shape=ellipse, label=\"end\"];\n"
        "  \"grow\" -> \"revenue\";\n"
        "  \"revenue\" -> \"signups\";\n"
        "  \"signups\" -> \"end\";\n"
        "}\n");
}

TEST_CASE("graph: Mermaid with prefixed ids, so a KPI may be called end", "[e2e][graph]") {
  TempDir dir;
  write_workspace(dir);
  const auto result = run_kpilint({"graph", "--format", "mermaid"}, dir.path());
  INFO(result.err);
  CHECK(result.exit_code == 0);
  CHECK(result.out ==
        "flowchart LR\n"
        "  n_grow[\"Grow #quot;online#quot; revenue\"]\n"
        "  n_revenue([\"Online revenue\"])\n"
        "  n_signups(\"signups\")\n"
        "  n_end(\"end\")\n"
        "  n_grow --> n_revenue\n"
        "  n_revenue --> n_signups\n"
        "  n_signups --> n_end\n");
}

TEST_CASE("graph: given files limit the nodes; bad options and paths are exit 2", "[e2e][graph]") {
  TempDir dir;
  write_workspace(dir);
  const auto only_objectives = run_kpilint({"graph", "a_objectives.kpi"}, dir.path());
  CHECK(only_objectives.exit_code == 0);
  CHECK(only_objectives.out.find("\"grow\" [shape=box") != std::string::npos);
  CHECK(only_objectives.out.find("revenue\"") == std::string::npos);
  CHECK(run_kpilint({"graph", "--format", "svg"}, dir.path()).exit_code == 2);
  const auto missing = run_kpilint({"graph", "nowhere.kpi"}, dir.path());
  CHECK(missing.exit_code == 2);
  CHECK_FALSE(missing.err.empty());
}

TEST_CASE("graph: Graphviz draws the dot output of the example workspace", "[e2e][graph]") {
  if (std::system("command -v dot >/dev/null 2>&1") != 0) {
    WARN("skipped: Graphviz `dot` is not installed (make test installs Debian's graphviz)");
    return;
  }
  TempDir dir;
  const auto result = run_kpilint({"graph", (source_dir() / "examples" / "aligned").string()}, dir.path());
  REQUIRE(result.exit_code == 0);
  dir.write("tree.dot", result.out);
  const std::string command = "cd '" + dir.path().string() + "' && dot -Tsvg tree.dot -o tree.svg 2>&1";
  CHECK(std::system(command.c_str()) == 0);
  const std::string svg = read_file(dir.path() / "tree.svg");
  CHECK(svg.find("<svg") != std::string::npos);
  CHECK(svg.find("Win the pickleball shoe market") != std::string::npos);
  CHECK(svg.find("Paid social return on ad spend") != std::string::npos);
}
