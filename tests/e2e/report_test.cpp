// `kpilint report --html FILE`: a self-contained page with the counts, the
// alignment tree with each declaration's findings, and the findings table;
// rendered in Debian's headless Chromium.
#include <cstdlib>

#include <catch2/catch.hpp>

#include "support.hpp"

using namespace kpilint::test;

namespace {

void write_workspace(const TempDir& dir) {
  dir.write("kpilint.toml", "");
  dir.write("a.kpi",
            "objective grow { title: \"Grow <b>online</b> & offline\" owner: @ana review: quarterly }\n"
            "person ana { name: \"Ana\" function: demand_gen }\n"
            "kpi revenue {\n  title: \"Online revenue\"\n  level: business\n  objective: grow\n  owner: @ana\n"
            "  source: \"shop\"\n  aggregation: sum monthly\n  unit: USD\n  indicator: lagging\n"
            "  target: >= 100 USD by 2026-12-31 ± 5%\n}\n"
            "kpi signups {\n  title: \"Signups\"\n  level: marketing\n  parent: revenue\n}\n"
            "kpi stray {\n  title: \"Stray\"\n  level: marketing\n  owner: @ana\n}\n");
}

std::string between(const std::string& text, const std::string& from, const std::string& to) {
  const auto begin = text.find(from);
  if (begin == std::string::npos) return {};
  const auto end = text.find(to, begin + from.size());
  return text.substr(begin, end == std::string::npos ? std::string::npos : end - begin);
}

}  // namespace

TEST_CASE("report: the tree nests KPIs under their objective and parent, with their findings", "[e2e][report]") {
  TempDir dir;
  write_workspace(dir);
  const auto result = run_kpilint({"report", "--html", "out.html"}, dir.path());
  INFO(result.err);
  REQUIRE(result.exit_code == 0);
  const std::string html = read_file(dir.path() / "out.html");
  CHECK(html.rfind("<!doctype html>\n<html lang=\"en\">", 0) == 0);
  // Self-contained: no scripts, no external resources.
  CHECK(html.find("<script") == std::string::npos);
  CHECK(html.find("http") == std::string::npos);
  // Text from the files is escaped.
  CHECK(html.find("Grow &lt;b&gt;online&lt;/b&gt; &amp; offline") != std::string::npos);
  CHECK(html.find("<b>online") == std::string::npos);
  // objective > business KPI > marketing KPI, and the stray KPI apart.
  const std::string tree = between(html, "<h2>Alignment tree</h2>", "<h2>");
  const auto objective = tree.find("<code>grow</code>");
  const auto revenue = tree.find("<code>revenue</code>");
  const auto signups = tree.find("<code>signups</code>");
  REQUIRE(objective != std::string::npos);
  REQUIRE(revenue != std::string::npos);
  REQUIRE(signups != std::string::npos);
  CHECK((objective < revenue && revenue < signups));
  CHECK(tree.find("stray") == std::string::npos);
  CHECK(between(html, "<h2>KPIs that reach no objective</h2>", "<h2>").find("<code>stray</code>") != std::string::npos);
  // signups has no owner (KPI101, an error) among others: a red badge naming it.
  const std::string signups_line = between(tree, "<code>signups</code>", "</li>");
  CHECK(signups_line.find("class=\"badge error\"") != std::string::npos);
  CHECK(signups_line.find("KPI101") != std::string::npos);
  // The findings table has a row per finding, with its location.
  CHECK(html.find("<code>a.kpi:14:5</code>") != std::string::npos);
  CHECK(html.find("KPI &#39;signups&#39; has no owner") != std::string::npos);
}

TEST_CASE("report: Portuguese headings, and exit 2 when the file cannot be written", "[e2e][report]") {
  TempDir dir;
  write_workspace(dir);
  REQUIRE(run_kpilint({"report", "--lang", "pt", "--html", "pt.html"}, dir.path()).exit_code == 0);
  const std::string html = read_file(dir.path() / "pt.html");
  CHECK(html.find("<html lang=\"pt\">") != std::string::npos);
  CHECK(html.find("<h2>Árvore de alinhamento</h2>") != std::string::npos);
  CHECK(html.find("<td class=\"error\">erro</td>") != std::string::npos);
  const auto unwritable = run_kpilint({"report", "--html", "no/such/dir/out.html"}, dir.path());
  CHECK(unwritable.exit_code == 2);
  CHECK(unwritable.err.find("no/such/dir/out.html") != std::string::npos);
  CHECK(run_kpilint({"report"}, dir.path()).exit_code == 2);  // --html is required
}

TEST_CASE("report: headless Chromium renders the page with the tree and the findings", "[e2e][report]") {
  if (std::system("command -v chromium >/dev/null 2>&1") != 0) {
    WARN("skipped: Debian's chromium is not installed (make test installs it)");
    return;
  }
  TempDir dir;
  write_workspace(dir);
  REQUIRE(run_kpilint({"report", "--html", "out.html"}, dir.path()).exit_code == 0);
  // --dump-dom prints the DOM after parsing and layout: what a reader sees.
  const std::string command = "cd '" + dir.path().string() +
                              "' && chromium --headless --no-sandbox --disable-gpu --user-data-dir=profile "
                              "--dump-dom file://" + dir.path().string() + "/out.html > dom.html 2> chromium.log";
  REQUIRE(std::system(command.c_str()) == 0);
  const std::string dom = read_file(dir.path() / "dom.html");
  INFO(dom.substr(0, 2000));
  CHECK(dom.find("<h1>KPI alignment report</h1>") != std::string::npos);
  CHECK(dom.find("Grow &lt;b&gt;online&lt;/b&gt; &amp; offline") != std::string::npos);
  CHECK(dom.find("<ul class=\"tree\">") != std::string::npos);
  CHECK(dom.find("KPI 'signups' has no owner") != std::string::npos);
  CHECK(dom.find("</table>") != std::string::npos);
}
