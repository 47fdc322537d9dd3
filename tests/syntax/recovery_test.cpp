// Syntax errors: where they point, what they say, and how parsing recovers.
#include <catch2/catch.hpp>

#include <string>

#include "syntax/tree.hpp"
#include "syntax_test_util.hpp"

using namespace kpilint;
using namespace kpilint::syntax;
using kpilint::syntax::test::line_col;
using kpilint::syntax::test::slice;

namespace {

struct Expected {
  int line;
  int column;
  std::string message;
};

// Parses `text` and checks that it has exactly one error, where and as expected.
SyntaxTree one_error(const std::string& text, Expected expected, std::string_view token = {}) {
  auto tree = parse(text);
  INFO(text);
  REQUIRE(tree.errors.size() == 1);
  const SyntaxError& e = tree.errors[0];
  const auto [line, col] = line_col(text, e.span.begin);
  CHECK(line == expected.line);
  CHECK(col == expected.column);
  CHECK(e.message == expected.message);
  if (!token.empty()) CHECK(slice(text, e.span) == token);
  return tree;
}

}  // namespace

TEST_CASE("the required recovery example", "[syntax][recovery]") {
  const std::string text =
      "kpi broken_one {\n"
      "  title: \"Unclosed string\n"
      "  level: business\n"
      "}\n"
      "\n"
      "kpi awareness {\n"
      "  title: \"Brand awareness\"\n"
      "}\n"
      "\n"
      "kpi broken_two {\n"
      "  level: : business\n"
      "}\n";
  const auto tree = parse(text);
  REQUIRE(tree.errors.size() == 2);

  const auto [l1, c1] = line_col(text, tree.errors[0].span.begin);
  CHECK(l1 == 2);
  CHECK(c1 == 10);  // the opening quote
  CHECK(tree.errors[0].message == "unterminated string");
  CHECK(slice(text, tree.errors[0].span) == "\"Unclosed string");

  const auto [l2, c2] = line_col(text, tree.errors[1].span.begin);
  CHECK(l2 == 11);  // `  level: : business`
  CHECK(c2 == 10);  // the second `:`
  CHECK(tree.errors[1].message == "expected a value after `level:`");
  CHECK(slice(text, tree.errors[1].span) == ":");

  REQUIRE(tree.decls.size() == 3);
  CHECK(tree.decls[0].name() == "broken_one");
  CHECK(tree.decls[0].has_error);
  CHECK(tree.decls[0].fields.empty());
  CHECK(tree.decls[1].name() == "awareness");
  CHECK_FALSE(tree.decls[1].has_error);
  CHECK(tree.decls[1].fields.size() == 1);
  CHECK(tree.decls[2].name() == "broken_two");
  CHECK(tree.decls[2].has_error);
  // A broken declaration's span runs to where recovery stopped.
  CHECK(slice(text, tree.decls[0].span) == "kpi broken_one {\n  title: \"Unclosed string\n  level: business\n}");
}

TEST_CASE("a broken declaration keeps the fields parsed before the error", "[syntax][recovery]") {
  const std::string text = "kpi k {\n  title: \"T\"\n  owner: @o\n  level: ]\n  unit: USD\n}\nkpi next {}\n";
  const auto tree = parse(text);
  REQUIRE(tree.errors.size() == 1);
  REQUIRE(tree.decls.size() == 2);
  CHECK(tree.decls[0].has_error);
  REQUIRE(tree.decls[0].fields.size() == 2);
  CHECK(tree.decls[0].fields[1].value.text() == "o");
  CHECK_FALSE(tree.decls[1].has_error);
}

TEST_CASE("error messages and positions", "[syntax][recovery][messages]") {
  one_error("kpi x {\n  title \"x\"\n}\n", {2, 9, "expected `:` after field name `title`"}, "\"x\"");
  one_error("kpi {\n}\n", {1, 5, "expected a name after `kpi`"}, "{");
  one_error("objective\n", {1, 10, "expected a name after `objective`"});
  one_error("kpi x\n  title: \"x\"\n}\n", {2, 3, "expected `{` after kpi `x`"}, "title");
  one_error("kpi x {\n  title: \"x\"\n", {3, 1, "expected `}` to close kpi `x`"});
  one_error("kpi x {\n  title: \"x\"\n\nkpi y {\n}\n", {4, 1, "expected `}` to close kpi `x`"}, "kpi");
  one_error("metric m {\n  unit: percent\n  kpi z {}\n", {3, 3, "expected `}` to close metric `m`"}, "kpi");
  one_error("kpi x {\n  level: business 42\n}\n", {2, 19, "unexpected `42` after the value of `level:`"}, "42");
  one_error("kpi x {\n  42: y\n}\n", {2, 3, "expected a field (`name: value`) or `}` in kpi `x`"}, "42");
  one_error("kpi x {\n  level:\n}\n", {2, 9, "expected a value after `level:`"});
  one_error("kpi x {\n  level: # nothing\n}\n", {2, 10, "expected a value after `level:`"}, "#");
  one_error("kpi x { a: foo: bar }", {1, 12, "expected a value after `a:`"}, "foo");
  one_error("kpi x { a: 12abc }", {1, 12, "invalid number `12abc`"}, "12abc");
  one_error("kpi x { a: 1.2.3 }", {1, 12, "invalid number `1.2.3`"}, "1.2.3");
  one_error("kpi x { a: 1__0 }", {1, 12, "invalid number `1__0`"}, "1__0");
  one_error("kpi x { a: 2026-12-31x }", {1, 12, "invalid date `2026-12-31x`"}, "2026-12-31x");
  one_error("kpi x { a: 2026-Q10 }", {1, 12, "invalid quarter `2026-Q10`"}, "2026-Q10");
  one_error("kpi x { a: \"bad \\q\" }", {1, 17, "unknown escape `\\q` in string (use `\\\"`, `\\\\`, `\\n`, `\\t` or `\\u{…}`)"},
            "\\q");
  one_error("kpi x { a: \"\\u{110000}\" }", {1, 13, "invalid Unicode escape `\\u{110000}`: not a Unicode scalar value"},
            "\\u{110000}");
  one_error("kpi x { a: \"\\u{D800}\" }", {1, 13, "invalid Unicode escape `\\u{D800}`: not a Unicode scalar value"});
  one_error("kpi x { a: \"\\u{zz}\" }", {1, 15, "invalid Unicode escape: expected `\\u{` with 1 to 6 hex digits and `}`"});
  one_error("kpi x { a: \"\\u{1234567}\" }", {1, 15, "invalid Unicode escape: expected `\\u{` with 1 to 6 hex digits and `}`"});
  one_error("kpi x { a: [a b] }", {1, 15, "expected `,` or `]` in the list"}, "b");
  one_error("kpi x { a: [a,,b] }", {1, 15, "expected a value or `]` in the list"}, ",");
  one_error("kpi x { a: [,] }", {1, 13, "expected a value or `]` in the list"}, ",");
  one_error("kpi x { a: [a,\n", {2, 1, "expected a value or `]` in the list"});
  one_error("kpi x { a: @ }", {1, 13, "expected a name after `@`"});
  one_error("kpi x { t: >= }", {1, 15, "expected a value after `>=` in the target"}, "}");
  one_error("kpi x { t: < [1] }", {1, 14, "expected a value after `<` in the target"}, "[");
  one_error("kpi x { t: >= 5 by 2026 }", {1, 20, "expected a date (YYYY-MM-DD) or a quarter (YYYY-Qn) after `by`"}, "2026");
  one_error("kpi x { t: >= 5 by\n}", {1, 19, "expected a date (YYYY-MM-DD) or a quarter (YYYY-Qn) after `by`"});
  one_error("kpi x { t: >= 5 ± x }", {1, 20, "expected a number after `±`"}, "x");
  one_error("kpi x { t: >= 5 +- }", {1, 20, "expected a number after `±`"}, "}");
  one_error("use\n", {1, 4, "expected a module path after `use`, such as `use std.marketing`"});
  one_error("use 5\n", {1, 5, "expected a module path after `use`, such as `use std.marketing`"}, "5");
  one_error("kpi x { a: \"abc\n}\n", {1, 12, "unterminated string"}, "\"abc");
  one_error("kpi x { a: \"abc", {1, 12, "unterminated string"}, "\"abc");
  const std::string declaration_expected =
      "expected a declaration (`kpi`, `objective`, `person`, `team`, `metric`, `experiment` or `use`)";
  one_error("}\n", {1, 1, declaration_expected}, "}");
  one_error("stray words here\nkpi x {}\n", {1, 1, declaration_expected}, "stray");
  one_error("kpi x {}\n  title: \"x\"\n", {2, 3, declaration_expected}, "title");
  one_error("kpi x { a: 1 }}", {1, 15, declaration_expected}, "}");
  one_error("kpis x {}", {1, 1, declaration_expected}, "kpis");
}

TEST_CASE("no message names a PEGTL rule", "[syntax][messages]") {
  const char* broken[] = {"kpi", "kpi x", "kpi x {", "kpi x { a", "kpi x { a:", "kpi x { a: [", "kpi x { a: \"",
                          "kpi x { a: >", "kpi x { a: > 1 by", "kpi x { a: > 1 +-", "use", "@", "kpi x { a: \"\\",
                          "kpi x { a: \"\\u", "kpi x { a: \"\\u{", "kpi x { a: @", "kpi x { a: 1.", "kpi x { a: -"};
  for (const char* text : broken) {
    const auto tree = parse(text);
    INFO(text);
    REQUIRE(tree.errors.size() == 1);
    const std::string& m = tree.errors[0].message;
    INFO(m);
    CHECK(m.find("tao::") == std::string::npos);
    CHECK(m.find("grammar") == std::string::npos);
    CHECK(m.find("_") == std::string::npos);  // no rule names like field_value
    CHECK(tree.errors[0].span.end <= std::string_view(text).size());
  }
}

TEST_CASE("recovery resumes only at a declaration keyword at the start of a line", "[syntax][recovery]") {
  // `metric: x` is a field, not a sync point; `  kpi good {` (indented) is one.
  const std::string text =
      "kpi bad {\n"
      "  title: ]\n"
      "  metric: revenue\n"
      "  use: x\n"
      "}\n"
      "  kpi good { title: \"ok\" }\n"
      "\tuse std.business\n";
  const auto tree = parse(text);
  REQUIRE(tree.errors.size() == 1);
  REQUIRE(tree.decls.size() == 3);
  CHECK(tree.decls[0].name() == "bad");
  CHECK(tree.decls[0].has_error);
  CHECK(tree.decls[1].name() == "good");
  CHECK_FALSE(tree.decls[1].has_error);
  CHECK(tree.decls[2].name() == "std.business");
}

TEST_CASE("every broken declaration is reported", "[syntax][recovery]") {
  const std::string text =
      "kpi a { level: }\n"
      "kpi b { level: x }\n"
      "garbage\n"
      "more garbage\n"
      "kpi c {\n"
      "  title \"no colon\"\n"
      "}\n"
      "kpi { }\n"
      "kpi d {\n";
  const auto tree = parse(text);
  // `kpi { }` is not a sync point (no name after the keyword): it is skipped with c.
  REQUIRE(tree.errors.size() == 4);
  const int lines[] = {1, 3, 6, 10};
  for (int i = 0; i < 4; ++i) CHECK(line_col(text, tree.errors[i].span.begin).first == lines[i]);
  CHECK(tree.errors[3].message == "expected `}` to close kpi `d`");
  REQUIRE(tree.decls.size() == 4);  // a (broken), b, c (broken), d (broken)
  CHECK(tree.decls[0].has_error);
  CHECK_FALSE(tree.decls[1].has_error);
  CHECK(tree.decls[2].has_error);
  CHECK(tree.decls[3].name() == "d");
  CHECK(tree.decls[3].has_error);
}

TEST_CASE("comments in skipped text are still recorded, once", "[syntax][recovery][comments]") {
  const std::string text =
      "kpi a {  # one\n"
      "  level: ]  # two\n"
      "  x: \"# not a comment\" # three\n"
      "}\n"
      "# kpilint: ignore-file KPI119\n"
      "kpi b {}\n";
  const auto tree = parse(text);
  REQUIRE(tree.errors.size() == 1);
  REQUIRE(tree.comments.size() == 4);
  CHECK(slice(text, tree.comments[0].span) == "# one");
  CHECK(slice(text, tree.comments[1].span) == "# two");
  CHECK(slice(text, tree.comments[2].span) == "# three");
  CHECK(slice(text, tree.comments[3].span) == "# kpilint: ignore-file KPI119");
}

TEST_CASE("errors are capped at 100 per file", "[syntax][recovery]") {
  std::string text;
  for (int i = 0; i < 500; ++i) text += "kpi k" + std::to_string(i) + " { level: }\n";
  const auto tree = parse(text);
  CHECK(tree.errors.size() == 100);
  CHECK(tree.decls.size() >= 100);
}

TEST_CASE("the tree counts its use declarations, broken files included", "[syntax][recovery]") {
  const std::string text =
      "use std.marketing\n"
      "use 42\n"                           // no module path: not a declaration
      "kpi a { owner: @p }\n"
      "use std.business extra\n"           // a module, then junk skipped to the next line
      "kpi b { owner: \n"                  // broken after its header: kept with has_error
      "use std.finance\n"
      "person p { name: \"P\" }\n";
  const auto tree = parse(text);
  std::size_t uses = 0;
  for (const Decl& decl : tree.decls) uses += decl.kind == DeclKind::Use ? 1 : 0;
  CHECK(uses == 3);
  CHECK(tree.uses == uses);
  CHECK(tree.decls.size() == 6);
  CHECK_FALSE(tree.errors.empty());
}

TEST_CASE("a declaration of every kind ends an unclosed body and is a sync point", "[syntax][recovery]") {
  // decl_start looks at the first byte before the keywords: each keyword's
  // first letter must get through, and a field of that letter must not stop.
  for (const std::string keyword : {"person", "team", "objective", "kpi", "metric", "experiment", "use"}) {
    const std::string name = keyword == "use" ? "std.business" : "next";
    const std::string unclosed = "kpi open {\n  title: \"t\"\n" + keyword + " " + name + (keyword == "use" ? "\n" : " { }\n");
    INFO(unclosed);
    const auto tree = parse(unclosed);
    REQUIRE(tree.decls.size() == 2);
    CHECK(tree.decls[0].has_error);
    CHECK(tree.decls[0].fields.size() == 1);
    CHECK(tree.decls[1].name() == name);
    CHECK_FALSE(tree.decls[1].has_error);
  }
  // Fields that begin with those letters (owner, members, unit, email, ...) stay fields.
  const auto tree = parse("team t {\n  members: []\n  owner: @p\n  kpis: x\n  email: \"e\"\n  unit: USD\n  parent: y\n  target: z\n}\n");
  REQUIRE(tree.decls.size() == 1);
  CHECK(tree.decls[0].fields.size() == 7);
}
