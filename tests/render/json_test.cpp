// The json format (SPEC §5): golden output and its structure.
#include <nlohmann/json.hpp>

#include "fixture.hpp"

namespace kpilint::render::test {
namespace {

std::string json(std::span<const Diagnostic> diagnostics, std::size_t files) {
  return render(Format::Json, diagnostics, summarize(diagnostics, files), RenderOptions{});
}

std::vector<std::string> keys(const nlohmann::ordered_json& object) {
  std::vector<std::string> out;
  for (const auto& [key, value] : object.items()) out.push_back(key);
  return out;
}

using Keys = std::vector<std::string>;

TEST_CASE("json: golden output", "[render][json]") {
  const SourceFile growth("kpis/growth.kpi", std::string(kGrowth));
  const SourceFile other("kpis/other.kpi", std::string(kOther));
  check_golden("growth.json", json(growth_diagnostics(growth, &other), 2));
}

TEST_CASE("json: nothing found", "[render][json]") {
  CHECK(json({}, 3) ==
        "{\n"
        "  \"version\": 1,\n"
        "  \"diagnostics\": [],\n"
        "  \"summary\": {\n"
        "    \"files\": 3,\n"
        "    \"errors\": 0,\n"
        "    \"warnings\": 0,\n"
        "    \"infos\": 0\n"
        "  }\n"
        "}\n");
}

TEST_CASE("json: keys, order and positions", "[render][json]") {
  const SourceFile growth("kpis/growth.kpi", std::string(kGrowth));
  const SourceFile other("kpis/other.kpi", std::string(kOther));
  const std::string out = json(growth_diagnostics(growth, &other), 2);
  REQUIRE(out.back() == '\n');
  REQUIRE(std::count(out.begin(), out.end(), '\n') > 1);
  const auto doc = nlohmann::ordered_json::parse(out);

  CHECK(keys(doc) == Keys{"version", "diagnostics", "summary"});
  CHECK(doc["version"] == 1);
  CHECK(doc["summary"] == nlohmann::ordered_json::parse(R"({"files": 2, "errors": 3, "warnings": 1, "infos": 2})"));
  const auto& diagnostics = doc["diagnostics"];
  REQUIRE(diagnostics.size() == 6);

  const Keys base{"file", "line", "column", "end_line", "end_column", "severity", "code", "rule", "message"};
  CHECK(keys(diagnostics[2]) == base);  // KPI109: no help, related or fix
  Keys with_help = base;
  with_help.push_back("help");
  CHECK(keys(diagnostics[1]) == with_help);

  // KPI101 at `total_revenue` on line 11.
  CHECK(diagnostics[1] == nlohmann::ordered_json::parse(R"({
    "file": "kpis/growth.kpi", "line": 11, "column": 5, "end_line": 11, "end_column": 18,
    "severity": "error", "code": "KPI101", "rule": "missing-owner",
    "message": "KPI 'total_revenue' has no owner",
    "help": "Every KPI needs one accountable owner: add `owner: @someone`."})"));

  // A range over two lines, end exclusive.
  CHECK(diagnostics[2]["line"] == 14);
  CHECK(diagnostics[2]["column"] == 11);
  CHECK(diagnostics[2]["end_line"] == 15);
  CHECK(diagnostics[2]["end_column"] == 18);
  CHECK(diagnostics[2]["severity"] == "info");

  // Columns count characters: ç, ã and the emoji are one each.
  const auto& unknown = diagnostics[3];
  CHECK(keys(unknown) == Keys{"file", "line", "column", "end_line", "end_column", "severity", "code", "rule",
                              "message", "help", "fix"});
  CHECK(unknown["line"] == 19);
  CHECK(unknown["column"] == 19);
  CHECK(unknown["end_column"] == 24);
  CHECK(unknown["severity"] == "warning");
  CHECK(unknown["fix"] == nlohmann::ordered_json::parse(R"({"title": "Replace `prent` with `parent`",
    "edits": [{"file": "kpis/growth.kpi", "line": 19, "column": 19, "end_line": 19, "end_column": 24,
               "new_text": "parent"}]})"));
  CHECK(keys(unknown["fix"]) == Keys{"title", "edits"});

  // A tab is one character.
  CHECK(diagnostics[4]["column"] == 9);

  const auto& duplicate = diagnostics[5];
  CHECK(keys(duplicate) == Keys{"file", "line", "column", "end_line", "end_column", "severity", "code", "rule",
                                "message", "related"});
  CHECK(duplicate["file"] == "kpis/other.kpi");
  CHECK(duplicate["related"] == nlohmann::ordered_json::parse(R"([{"file": "kpis/growth.kpi", "line": 11,
    "column": 5, "end_line": 11, "end_column": 18, "message": "first defined here"}])"));
  CHECK(keys(duplicate["related"][0]) == Keys{"file", "line", "column", "end_line", "end_column", "message"});
}

// A large workspace's report: thousands of findings in one document, in
// order, laid out as nlohmann's dump(2) lays it out.
TEST_CASE("json: a report of thousands of findings is one document, in order", "[render][json]") {
  const SourceFile growth("kpis/growth.kpi", std::string(kGrowth));
  const SourceFile other("kpis/other.kpi", std::string(kOther));
  const auto many = many_diagnostics(growth, other, 4001);
  const std::string out = json(many, 2);
  const auto doc = nlohmann::ordered_json::parse(out);
  REQUIRE(doc["diagnostics"].size() == many.size());
  for (std::size_t i = 0; i < many.size(); i += 997) CHECK(doc["diagnostics"][i]["message"] == many[i].message);
  CHECK(doc["diagnostics"][4000]["message"] == "finding 4000");
  CHECK(doc.dump(2) + "\n" == out);  // the layout of one writer, to the byte
}

TEST_CASE("json: invalid UTF-8 in a message is replaced, not thrown", "[render][json]") {
  const SourceFile f("bad.kpi", "kpi \xff {}\n");
  const auto d = make(f, {4, 5}, Severity::Error, "KPI001", "syntax-error", "unexpected '\xff'");
  std::string out;
  REQUIRE_NOTHROW(out = json(std::span(&d, 1), 1));
  const auto doc = nlohmann::json::parse(out);
  CHECK(doc["diagnostics"][0]["message"] == "unexpected '\xef\xbf\xbd'");
  CHECK(doc["diagnostics"][0]["column"] == 5);
  CHECK(doc["diagnostics"][0]["end_column"] == 6);
}

}  // namespace
}  // namespace kpilint::render::test
