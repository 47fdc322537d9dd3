// Evaluating rules over small in-memory workspaces: exact locations, the
// three-valued logic, interpolation, relations and options.
#include <catch2/catch.hpp>

#include "rule_test_support.hpp"

using namespace kpilint;
using Where = std::vector<std::string>;

namespace {

rules::RulePack custom_pack(const std::string& text) {
  rules::RulePack pack;
  std::vector<Diagnostic> errors;
  const bool ok = pack.add_file("test.rules", text, errors);
  for (const auto& d : errors) UNSCOPED_INFO(test::line_col(d).first << ":" << test::line_col(d).second << ": " << d.message);
  REQUIRE(ok);
  return pack;
}

std::string rule(const std::string& code, const std::string& body) {
  return "rule " + code + " r" + code.substr(3) + " {\n  severity: warning\n" + body + "\n}\n";
}

// A rule on KPIs that names the KPI when `require` fails (where `where` holds).
std::string kpi_rule(const std::string& code, const std::string& require, const std::string& where = {}) {
  return rule(code, "  for: kpi" + (where.empty() ? "" : " where " + where) + "\n  require: " + require +
                        "\n  message: \"{name}\"");
}

std::vector<std::string> messages(const std::vector<Diagnostic>& ds) {
  std::vector<std::string> out;
  for (const auto& d : ds) out.push_back(d.code + " " + d.message);
  return out;
}

}  // namespace

TEST_CASE("built-in rules point where SPEC 2 says") {
  const std::string text =
      "use std.marketing\n"                                   // 1
      "person maria { name: \"Maria\" function: demand_gen }\n"  // 2
      "kpi no_owner {\n"                                     // 3
      "  title: \"No owner\"\n"                              // 4
      "  metric: revenue\n"                                  // 5
      "  source: \"x\"\n"                                    // 6
      "  seasonal: true\n"                                   // 7
      "  compare: mom\n"                                     // 8
      "  target: >= 10 USD by 2026-12-31\n"                  // 9
      "}\n";                                                 // 10
  const auto linted = test::lint_text(text, rules::RulePack::builtin());
  CHECK(test::where(linted.language).empty());
  // KPI101 at the name, KPI109 at the target value, KPI113 at the `compare` value.
  CHECK(test::where(linted.findings) == Where{"3:5 KPI101", "9:11 KPI109", "8:12 KPI113"});
  CHECK(linted.findings[0].location.span.size() == 8);
  CHECK(linted.findings[0].severity == Severity::Error);
  CHECK(linted.findings[0].rule == "missing-owner");
  CHECK(linted.findings[0].help.find("owner: @someone") != std::string::npos);
  CHECK(linted.findings[2].message == "seasonal KPI 'no_owner' should compare year over year (yoy), not mom");
}

TEST_CASE("KPI113 without compare points at the name") {
  const std::string text =
      "use std.marketing\nperson maria { name: \"Maria\" }\n"
      "kpi spring_sales { title: \"Spring\" metric: revenue owner: @maria source: \"x\" seasonal: true\n"
      "  target: >= 10 USD by 2026-12-31 ± 1 }\n";
  const auto linted = test::lint_text(text, rules::RulePack::builtin());
  CHECK(test::where(linted.findings) == Where{"3:5 KPI113"});
  CHECK(linted.findings[0].message == "seasonal KPI 'spring_sales' should compare year over year (yoy)");
}

TEST_CASE("no pile-up on a broken reference") {
  const std::string text =
      "use std.marketing\n"
      "kpi ads {\n"
      "  title: \"Ads\"\n"
      "  level: marketing\n"
      "  parent: ghost\n"       // KPI003: KPI104 stays silent
      "  metric: nosuch\n"      // KPI003: inherited aggregation unknown, KPI103 silent
      "  owner: @nobody\n"      // KPI003: KPI101 silent
      "  source: \"x\"\n"
      "  target: >= 10 by 2026-12-31 ± 1\n"
      "}\n";
  const auto linted = test::lint_text(text, rules::RulePack::builtin());
  CHECK_FALSE(linted.language.empty());
  CHECK(test::where(linted.findings).empty());
}

TEST_CASE("three-valued logic: absent, present, unknown") {
  const auto pack = custom_pack(rule("TST001", "  for: kpi\n  require: parent.level == business\n  message: \"{name}\"") +
                                rule("TST002", "  for: kpi\n  require: parent.level != business\n  message: \"{name}\"") +
                                rule("TST003", "  for: kpi\n  require: has(parent)\n  message: \"{name}\"") +
                                rule("TST004", "  for: kpi\n  require: parent.level == business or has(source)\n  message: \"{name}\"") +
                                rule("TST005", "  for: kpi\n  require: parent.level == business and has(source)\n  message: \"{name}\"") +
                                rule("TST006", "  for: kpi\n  require: not (parent.level == business)\n  message: \"{name}\"") +
                                rule("TST007", "  for: kpi where has(parent.level) or not has(parent)\n  require: false\n  message: \"{name}\""));
  const std::string text =
      "kpi a { source: \"x\" }\n"     // parent absent
      "kpi b { parent: ghost }\n"     // parent unresolved: unknown
      "kpi c { parent: a }\n";        // parent present, its level absent
  const auto linted = test::lint_text(text, pack);
  // Findings come entity by entity (path order), rules in pack order.
  CHECK(messages(linted.findings) == std::vector<std::string>{
                                         "TST001 a", "TST003 a", "TST005 a", "TST007 a",
                                         "TST005 b",  // unknown never fires, but unknown and false = false
                                         "TST001 c", "TST004 c", "TST005 c",  // == with absent is false
                                     });
}

// An enum field compared with a word of its enum is answered from the
// checked word ids; these are the cases where the word comes from elsewhere
// or is not there, each with the same answer as reading the text.
TEST_CASE("enum comparisons: either side, through references, inherited, from the stdlib, invalid") {
  const auto pack = custom_pack(kpi_rule("TST011", "business != level") + kpi_rule("TST012", "indicator == lagging") +
                                kpi_rule("TST013", "metric.category != leads") +
                                kpi_rule("TST014", "not (owner.function == demand_gen)"));
  const std::string text =
      "use std.marketing\n"
      "person p { name: \"P\" function: demand_gen }\n"
      "metric slow { unit: count aggregation: sum monthly indicator: lagging category: leads }\n"
      "kpi biz { level: business }\n"                     // business == business; no indicator
      "kpi own { level: marketing indicator: leading }\n"  // its own word
      "kpi via { metric: slow owner: @p }\n"              // a workspace metric's checked words; the owner's function
      "kpi std { metric: mql_count }\n"                   // a stdlib metric's words (leading, leads)
      "kpi bad { level: bogus indicator: sideways }\n";   // invalid words are unknown: nothing fires
  const auto linted = test::lint_text(text, pack);
  CHECK(messages(linted.findings) == std::vector<std::string>{"TST011 biz", "TST012 biz", "TST012 own", "TST013 via",
                                                              "TST014 via", "TST012 std", "TST013 std"});
}

TEST_CASE("boolean fields and the parts of a target: inherited, written either way round, unknown") {
  const auto pack = custom_pack(kpi_rule("TST021", "vanity != true") + kpi_rule("TST022", "not (true == seasonal)") +
                                kpi_rule("TST023", "is_number(target.value)", "has(target)") +
                                kpi_rule("TST024", "has(target.deadline) and has(target.variance)") +
                                kpi_rule("TST025", "has(target.value) and not is_number(target.variance)") +
                                kpi_rule("TST026", "seasonal != false"));
  const std::string text =
      "use std.marketing\n"
      "kpi opens { metric: email_open_rate seasonal: true\n"            // vanity from the stdlib metric; seasonal
      "  target: >= 30% by 2026-12-31 ± 2% }\n"
      "kpi plain { seasonal: false target: >= high }\n"                  // a word for a value; no deadline, no variance
      "kpi odd { seasonal: maybe unit: USD target: >= 5 EUR by 2026-Q4 }\n"  // invalid: unknown, nothing fires
      "kpi none { vanity: false }\n";                                     // no target at all
  const auto linted = test::lint_text(text, pack);
  CHECK(messages(linted.findings) == std::vector<std::string>{
                                         "TST021 opens", "TST022 opens", "TST025 opens",  // variance 2% is a number
                                         "TST023 plain", "TST024 plain", "TST026 plain",
                                         "TST024 none", "TST025 none",
                                     });
}

TEST_CASE("interpolation renders any expression") {
  const auto pack = custom_pack(rule(
      "TST001",
      "  for: kpi where has(target)\n  require: false\n"
      "  message: \"{name}: {count(children)} children ({count(descendants where level == marketing)} marketing), "
      "level {level}, parent {parent}, target {target}, value {target.value}, deadline {target.deadline}, "
      "{{braces}} }, unit {unit}, aggregation {aggregation.method}/{aggregation.period}, seasonal {seasonal}, "
      "set by {set_by}, missing {missing(owner, source, title)}, {if(has(title), title, \"untitled\")}\""));
  const std::string text =
      "use std.marketing\n"
      "kpi top { level: business title: \"Top\" metric: revenue seasonal: false set_by: [finance, marketing]\n"
      "  target: >= 1.5M USD by 2026-Q4 ± 5% }\n"
      "kpi mid { level: marketing parent: top }\n"
      "kpi leaf { level: marketing parent: mid }\n"
      "kpi side { parent: top }\n";
  const auto linted = test::lint_text(text, pack);
  REQUIRE(linted.findings.size() == 1);
  CHECK(linted.findings[0].message ==
        "top: 2 children (2 marketing), level business, parent none, target >= 1.5M USD by 2026-Q4 ± 5%, value "
        "1500000, deadline 2026-Q4, {braces} }, unit currency, aggregation sum/monthly, seasonal false, set by "
        "[finance, marketing], missing owner, source, Top");
}

TEST_CASE("relations: kpis, tree, children, descendants, owned, members") {
  const auto pack = custom_pack(
      rule("TST001", "  for: objective\n  require: false\n  message: \"{count(kpis)} {count(tree)} {count(tree where level == marketing)}\"") +
      rule("TST002", "  for: kpi where has(objective)\n  require: false\n  message: \"{count(children)} {count(descendants)}\"") +
      rule("TST003", "  for: person, team\n  require: false\n  message: \"{kind} {name} {count(owned)} {count(members)} {all(members where function == sales)}\""));
  const std::string text =
      "person ann { function: sales }\nperson bob { function: sales }\n"
      "team crew { members: [@ann, @bob] }\n"
      "objective goal { title: \"G\" }\n"
      "kpi b1 { level: business objective: goal owner: @crew }\n"
      "kpi b2 { level: business objective: goal parent: b1 }\n"   // a business KPI of the goal under another one
      "kpi m1 { level: marketing parent: b1 owner: @ann }\n"
      "kpi m2 { level: marketing parent: m1 }\n"
      "kpi m3 { level: marketing parent: b2 }\n"
      "kpi loose { objective: goal }\n";  // not business: not a root of the tree
  const auto linted = test::lint_text(text, pack);
  CHECK(messages(linted.findings) == std::vector<std::string>{
                                         "TST003 person ann 1 0 true", "TST003 person bob 0 0 true",
                                         "TST003 team crew 1 2 true",
                                         "TST001 3 5 3",  // b1, b2, m1, m2, m3: b2 counted once
                                         "TST002 2 4", "TST002 1 1", "TST002 0 0",
                                     });
}

TEST_CASE("a rollup cycle does not hang descendants") {
  const auto pack = custom_pack(rule("TST001", "  for: kpi\n  require: count(descendants) < 0\n  message: \"{name} {count(descendants)}\""));
  const std::string text = "kpi a { parent: c }\nkpi b { parent: a }\nkpi c { parent: b }\nkpi d { parent: c }\n";
  const auto linted = test::lint_text(text, pack);
  CHECK(linted.findings.size() <= 4);  // whatever the model keeps of the cycle, it terminates
}

TEST_CASE("options: max_kpis_per_objective and name_pattern") {
  const auto& pack = rules::RulePack::builtin();
  const std::string text =
      "use std.marketing\nperson dana { name: \"Dana\" }\n"
      "objective goal { title: \"G\" owner: @dana review: quarterly }\n"
      "kpi rev_a { title: \"A\" level: business objective: goal metric: revenue owner: @dana source: \"s\" target: >= 1 USD by 2026-12-31 ± 1 }\n"
      "kpi nps_b { title: \"B\" level: business objective: goal metric: nps owner: @dana source: \"s\" target: >= 1 by 2026-12-31 ± 1 }\n"
      "kpi conv_c { title: \"C\" level: business objective: goal metric: conversion_rate owner: @dana source: \"s\" target: >= 1% by 2026-12-31 ± 1% }\n";
  std::map<std::string, model::OptionValue> options{{"max_kpis_per_objective", std::int64_t{2}},
                                                    {"name_pattern", std::string("^[a-z]+$")}};
  const auto linted = test::lint_text(text, pack, &options);
  CHECK(messages(linted.findings) == std::vector<std::string>{
                                         "KPI111 objective 'goal' has 3 business KPIs; keep at most 2",
                                         "KPI122 KPI name 'rev_a' does not match the naming convention ^[a-z]+$",
                                         "KPI122 KPI name 'nps_b' does not match the naming convention ^[a-z]+$",
                                         "KPI122 KPI name 'conv_c' does not match the naming convention ^[a-z]+$",
                                     });
  CHECK(rules::check_options(pack, options).empty());
  // A value of the wrong type and an invalid pattern: reported, and the rules fall back or stay silent.
  std::map<std::string, model::OptionValue> bad{{"max_kpis_per_objective", std::string("five")},
                                                {"name_pattern", std::string("([a-z")}};
  CHECK(rules::check_options(pack, bad).size() == 2);
  const auto fallback = test::lint_text(text, pack, &bad);
  CHECK(test::where(fallback.findings).empty());
}

TEST_CASE("only reported documents and enabled rules are evaluated") {
  const auto& pack = rules::RulePack::builtin();
  auto linted = test::lint_text("kpi a { }\n", pack, nullptr, {"kpi b { }\n"});
  CHECK(linted.findings.size() == 2 * 5);  // owner, source, aggregation, target, title for each
  linted.workspace->documents[1]->reported = false;
  std::vector<Diagnostic> out;
  rules::EvalContext context;
  context.enabled = [](std::string_view code) { return code == "KPI101"; };
  rules::evaluate(pack, *linted.model, context, out);
  CHECK(test::where(out) == Where{"1:5 KPI101"});
}

TEST_CASE("KPI116 and KPI117 read the owner's function, person or team") {
  const std::string text =
      "use std.marketing\n"
      "team enablement { name: \"Enablement\" function: marketing_support }\n"
      "kpi mqls { title: \"MQLs\" metric: mql_count owner: @enablement source: \"s\" target: >= 1 by 2026-12-31 ± 1 }\n"
      "kpi decks { title: \"Decks\" function: marketing_support owner: @enablement source: \"s\" aggregation: count monthly target: >= 1 by 2026-12-31 ± 1 }\n"
      "kpi pipe { title: \"Pipe\" metric: pipeline_value function: demand_gen owner: @enablement source: \"s\" target: >= 1 USD by 2026-12-31 ± 1 }\n";
  const auto linted = test::lint_text(text, rules::RulePack::builtin());
  CHECK(test::where(linted.language).empty());
  CHECK(test::where(linted.findings) == Where{"2:6 KPI116", "3:5 KPI117"});
  CHECK(linted.findings[0].message == "team 'enablement' owns both demand_gen and marketing_support KPIs");
}

TEST_CASE("a custom rule file runs beside the built-in rules") {
  rules::RulePack pack = rules::RulePack::builtin();
  std::vector<Diagnostic> errors;
  REQUIRE(pack.add_file("policy.rules",
                        "rule FIN001 finance-sets-business-targets {\n"
                        "  severity: error\n"
                        "  for: kpi where level == business and has(set_by)\n"
                        "  require: finance in set_by\n"
                        "  at: set_by\n"
                        "  message: \"business KPI '{name}' needs finance in set_by\"\n"
                        "}\n",
                        errors));
  const std::string text = "kpi k { level: business set_by: [marketing] }\n";
  const auto linted = test::lint_text(text, pack);
  std::vector<std::string> fin;
  for (const auto& d : linted.findings) {
    if (d.code == "FIN001") fin.push_back(test::where({d})[0] + " " + d.message);
  }
  CHECK(fin == std::vector<std::string>{"1:33 FIN001 business KPI 'k' needs finance in set_by"});
}
