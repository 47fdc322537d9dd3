// The sarif format: golden output and the structure GitHub code scanning reads.
#include <nlohmann/json.hpp>

#include "fixture.hpp"

namespace kpilint::render::test {
namespace {

using Json = nlohmann::ordered_json;

RenderOptions sarif_options(const std::vector<rules::RuleInfo>& rules) {
  RenderOptions options;
  options.cwd = "/home/ci/work/pb shoes";
  options.workspace_root = "/home/ci/work/pb shoes";
  options.rules = rules;
  options.tool_version = "0.1.0";
  options.docs_base_url = "https://kpilint.example/rules/";
  return options;
}

Json sarif(std::span<const Diagnostic> diagnostics, const RenderOptions& options) {
  const std::string out = render(Format::Sarif, diagnostics, summarize(diagnostics, 1), options);
  REQUIRE(out.back() == '\n');
  return Json::parse(out);
}

TEST_CASE("sarif: golden output", "[render][sarif]") {
  const SourceFile growth("kpis/growth.kpi", std::string(kGrowth));
  const SourceFile other("kpis/other.kpi", std::string(kOther));
  const auto rules = test_rules();
  const auto diagnostics = growth_diagnostics(growth, &other);
  check_golden("growth.sarif", render(Format::Sarif, diagnostics, summarize(diagnostics, 2), sarif_options(rules)));
}

TEST_CASE("sarif: schema, driver and rules", "[render][sarif]") {
  const SourceFile growth("kpis/growth.kpi", std::string(kGrowth));
  const auto rules = test_rules();
  const Json doc = sarif(growth_diagnostics(growth), sarif_options(rules));

  CHECK(doc["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json");
  CHECK(doc["version"] == "2.1.0");
  REQUIRE(doc["runs"].size() == 1);
  const Json& run = doc["runs"][0];
  CHECK(run["columnKind"] == "unicodeCodePoints");
  CHECK(run["originalUriBaseIds"] == Json::parse(R"({"%SRCROOT%": {"uri": "file:///home/ci/work/pb%20shoes/"}})"));

  const Json& driver = run["tool"]["driver"];
  CHECK(driver["name"] == "kpilint");
  CHECK(driver["version"] == "0.1.0");
  CHECK(driver["semanticVersion"] == "0.1.0");
  CHECK(driver["informationUri"] == "https://kpilint.example/rules/");

  // Every rule, including those that did not fire (KPI002, KPI102).
  REQUIRE(driver["rules"].size() == rules.size());
  for (std::size_t i = 0; i < rules.size(); ++i) {
    const Json& rule = driver["rules"][i];
    CHECK(rule["id"] == rules[i].code);
    CHECK(rule["name"] == rules[i].name);
    CHECK(rule["shortDescription"]["text"] == rules[i].summary);
    CHECK(rule["fullDescription"]["text"].is_string());
    CHECK(rule["help"]["text"].is_string());
    CHECK(rule["helpUri"] == "https://kpilint.example/rules/" + rules[i].code);
  }
  const Json& missing_owner = driver["rules"][3];
  CHECK(missing_owner["fullDescription"]["text"] == "A KPI nobody owns is a KPI nobody acts on.");
  CHECK(missing_owner["defaultConfiguration"]["level"] == "error");
  CHECK(missing_owner["help"]["markdown"].get<std::string>().find("```\nkpi revenue {\n  owner: @ana") !=
        std::string::npos);
  CHECK(driver["rules"][2]["defaultConfiguration"]["level"] == "warning");
  CHECK(driver["rules"][5]["defaultConfiguration"]["level"] == "note");
  CHECK(driver["rules"][5]["fullDescription"]["text"] == "a target states its acceptable variance");

  // Without docs_base_url: no helpUri, no informationUri.
  auto options = sarif_options(rules);
  options.docs_base_url.clear();
  const Json bare = sarif(growth_diagnostics(growth), options);
  CHECK_FALSE(bare["runs"][0]["tool"]["driver"].contains("informationUri"));
  CHECK_FALSE(bare["runs"][0]["tool"]["driver"]["rules"][0].contains("helpUri"));
}

TEST_CASE("sarif: results", "[render][sarif]") {
  const SourceFile growth("kpis/growth.kpi", std::string(kGrowth));
  const SourceFile other("kpis/other.kpi", std::string(kOther));
  const auto rules = test_rules();
  const Json doc = sarif(growth_diagnostics(growth, &other), sarif_options(rules));
  const Json& results = doc["runs"][0]["results"];
  REQUIRE(results.size() == 6);
  const Json& driver_rules = doc["runs"][0]["tool"]["driver"]["rules"];

  for (const Json& result : results) {
    CHECK(driver_rules[result["ruleIndex"].get<std::size_t>()]["id"] == result["ruleId"]);
    CHECK(result["partialFingerprints"]["kpilint/v1"].is_string());
  }
  CHECK(results[0]["level"] == "note");
  CHECK(results[1]["level"] == "error");
  CHECK(results[3]["level"] == "warning");

  // Columns in code points: the emoji before `prent` counts one.
  CHECK(results[3]["locations"] == Json::parse(R"([{"physicalLocation": {
      "artifactLocation": {"uri": "kpis/growth.kpi", "uriBaseId": "%SRCROOT%"},
      "region": {"startLine": 19, "startColumn": 19, "endLine": 19, "endColumn": 24}}}])"));
  CHECK(results[3]["message"]["text"] == "unknown field 'prent' in kpi 'paid_conversion'");
  CHECK(results[3]["fixes"] == Json::parse(R"([{"description": {"text": "Replace `prent` with `parent`"},
      "artifactChanges": [{"artifactLocation": {"uri": "kpis/growth.kpi", "uriBaseId": "%SRCROOT%"},
        "replacements": [{"deletedRegion": {"startLine": 19, "startColumn": 19, "endLine": 19, "endColumn": 24},
                          "insertedContent": {"text": "parent"}}]}]}])"));

  // A range over two lines.
  CHECK(results[2]["locations"][0]["physicalLocation"]["region"] ==
        Json::parse(R"({"startLine": 14, "startColumn": 11, "endLine": 15, "endColumn": 18})"));

  // Related locations carry an id and their message.
  CHECK(results[5]["relatedLocations"] == Json::parse(R"([{"id": 1, "physicalLocation": {
      "artifactLocation": {"uri": "kpis/growth.kpi", "uriBaseId": "%SRCROOT%"},
      "region": {"startLine": 11, "startColumn": 5, "endLine": 11, "endColumn": 18}},
      "message": {"text": "first defined here"}}])"));
}

TEST_CASE("sarif: a code that is not in the rule list is added to it", "[render][sarif]") {
  const SourceFile f("a.kpi", "kpi x {}\n");
  const auto d = make(f, {4, 5}, Severity::Warning, "KPI900", "policy-rule", "m");
  const Json doc = sarif(std::span(&d, 1), RenderOptions{});
  const Json& rules = doc["runs"][0]["tool"]["driver"]["rules"];
  REQUIRE(rules.size() == 1);
  CHECK(rules[0]["id"] == "KPI900");
  CHECK(rules[0]["name"] == "policy-rule");
  CHECK(rules[0]["shortDescription"]["text"] == "policy-rule");
  CHECK(doc["runs"][0]["results"][0]["ruleIndex"] == 0);
}

TEST_CASE("sarif: artifact URIs", "[render][sarif]") {
  const SourceFile plain("kpis/S\u00e3o Paulo #1.kpi", "kpi x {}\n");
  const auto d = make(plain, {4, 5}, Severity::Error, "KPI101", "missing-owner", "m");
  const auto location = [&](const RenderOptions& options) {
    return sarif(std::span(&d, 1), options)["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
                                           ["artifactLocation"];
  };

  RenderOptions options;
  options.cwd = "/repo/sub/";
  options.workspace_root = "/repo/";
  CHECK(location(options) == Json::parse(R"({"uri": "sub/kpis/S%C3%A3o%20Paulo%20%231.kpi", "uriBaseId": "%SRCROOT%"})"));
  CHECK(sarif(std::span(&d, 1), options)["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]["uri"] == "file:///repo/");

  options.workspace_root = "/elsewhere";  // outside the root: an absolute file URI
  CHECK(location(options) == Json::parse(R"({"uri": "file:///repo/sub/kpis/S%C3%A3o%20Paulo%20%231.kpi"})"));

  options.workspace_root = "..";  // relative to cwd
  CHECK(location(options)["uri"] == "sub/kpis/S%C3%A3o%20Paulo%20%231.kpi");

  options = {};  // nothing known: relative to where we are
  CHECK(location(options) == Json::parse(R"({"uri": "kpis/S%C3%A3o%20Paulo%20%231.kpi", "uriBaseId": "%SRCROOT%"})"));
  CHECK_FALSE(sarif(std::span(&d, 1), options)["runs"][0].contains("originalUriBaseIds"));
}

TEST_CASE("sarif: fingerprints survive lines moving, and tell findings apart", "[render][sarif]") {
  const auto rules = test_rules();
  const SourceFile before("kpis/growth.kpi", std::string(kGrowth));
  const SourceFile after("kpis/growth.kpi", "# a new header\n# of three\n\n" + std::string(kGrowth));
  const auto fingerprints = [&](const SourceFile& file) {
    const Json doc = sarif(growth_diagnostics(file), sarif_options(rules));
    std::vector<std::string> out;
    for (const Json& result : doc["runs"][0]["results"]) {
      out.push_back(result["partialFingerprints"]["kpilint/v1"]);
    }
    return out;
  };
  const auto a = fingerprints(before);
  const auto b = fingerprints(after);
  CHECK(a == b);
  CHECK(std::set<std::string>(a.begin(), a.end()).size() == a.size());

  // The lines really moved.
  const Json moved = sarif(growth_diagnostics(after), sarif_options(rules));
  CHECK(moved["runs"][0]["results"][1]["locations"][0]["physicalLocation"]["region"]["startLine"] == 14);

  // Same rule and text in another file, or another rule on the same text:
  // another fingerprint. Another wording of the message (--lang pt): the same.
  const SourceFile renamed("kpis/renamed.kpi", std::string(kGrowth));
  CHECK(fingerprints(renamed)[1] != a[1]);
  auto changed = growth_diagnostics(before);
  changed[1].message = "A KPI 'total_revenue' não tem responsável";
  const Json translated = sarif(changed, sarif_options(rules));
  CHECK(translated["runs"][0]["results"][1]["partialFingerprints"]["kpilint/v1"] == a[1]);
  changed[1].code = "KPI102";
  changed[1].rule = "missing-source";
  const Json other_rule = sarif(changed, sarif_options(rules));
  CHECK(other_rule["runs"][0]["results"][1]["partialFingerprints"]["kpilint/v1"] != a[1]);

  // Identical findings are numbered.
  std::vector<Diagnostic> twice{growth_diagnostics(before)[1], growth_diagnostics(before)[1]};
  const Json dup = sarif(twice, sarif_options(rules));
  const std::string first = dup["runs"][0]["results"][0]["partialFingerprints"]["kpilint/v1"];
  const std::string second = dup["runs"][0]["results"][1]["partialFingerprints"]["kpilint/v1"];
  CHECK(first.ends_with(":1"));
  CHECK(second.ends_with(":2"));
  CHECK(first.substr(0, first.size() - 2) == second.substr(0, second.size() - 2));
}

}  // namespace
}  // namespace kpilint::render::test
