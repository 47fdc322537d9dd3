// Values, fields, declarations and comments of well-formed .kpi text.
#include <catch2/catch.hpp>

#include "syntax/tree.hpp"
#include "syntax_test_util.hpp"

using namespace kpilint;
using namespace kpilint::syntax;
using kpilint::syntax::test::parse_value;
using kpilint::syntax::test::slice;
using kpilint::syntax::test::field_at;

namespace {

const Value& only(const test::OneValue& r) {
  INFO(*r.text);
  REQUIRE(r.tree.errors.empty());
  REQUIRE(r.tree.decls.size() == 1);
  REQUIRE(r.tree.decls[0].fields.size() == 1);
  return r.value();
}

}  // namespace

TEST_CASE("strings: plain contents are views into the source", "[syntax][values]") {
  const auto r = parse_value(R"("João Pereira")");
  const Value& v = only(r);
  CHECK(v.kind == ValueKind::String);
  CHECK(v.text() == "João Pereira");
  CHECK(slice(*r.text, v.span) == R"("João Pereira")");
  CHECK(v.text().data() == r.text->data() + v.span.begin + 1);
  CHECK(r.tree.decoded_strings.empty());
}

TEST_CASE("strings: escapes are decoded into decoded_strings", "[syntax][values]") {
  const auto r = parse_value(R"("a\"b\\c\nd\te\u{e9}\u{1F600}")");
  const Value& v = only(r);
  CHECK(v.kind == ValueKind::String);
  CHECK(v.text() == "a\"b\\c\nd\te\xC3\xA9\xF0\x9F\x98\x80");
  REQUIRE(r.tree.decoded_strings.size() == 1);
  CHECK(v.text().data() == r.tree.decoded_strings[0].data());
}

TEST_CASE("strings: empty and with a #", "[syntax][values]") {
  CHECK(only(parse_value(R"("")")).text().empty());
  const auto r = parse_value(R"("not # a comment")");
  CHECK(only(r).text() == "not # a comment");
  CHECK(r.tree.comments.empty());
}

TEST_CASE("numbers: separators, fractions, sign, percent and suffixes", "[syntax][values]") {
  struct Case {
    const char* text;
    double number;
    bool percent;
  };
  const Case cases[] = {
      {"0", 0, false},          {"42", 42, false},        {"1_200_000", 1200000, false},
      {"0.35", 0.35, false},    {"-5", -5, false},        {"-0.5", -0.5, false},
      {"18%", 18, true},        {"1.5%", 1.5, true},      {"12k", 12000, false},
      {"4.5M", 4500000, false}, {"2B", 2000000000, false}, {"1_000.25k", 1000250, false},
  };
  for (const auto& c : cases) {
    const auto r = parse_value(c.text);
    const Value& v = only(r);
    INFO(c.text);
    CHECK(v.kind == ValueKind::Number);
    CHECK(v.number() == Approx(c.number));
    CHECK(v.percent == c.percent);
    CHECK(v.text() == c.text);
    CHECK(slice(*r.text, v.span) == c.text);
  }
}

TEST_CASE("dates, quarters and numbers are told apart", "[syntax][values]") {
  {
    const auto r = parse_value("2026-12-31");
    const Value& v = only(r);
    CHECK(v.kind == ValueKind::Date);
    CHECK(v.year() == 2026);
    CHECK(v.month() == 12);
    CHECK(v.day() == 31);
    CHECK(v.text() == "2026-12-31");
  }
  {
    const auto r = parse_value("2026-02-30");  // not validated here
    CHECK(only(r).kind == ValueKind::Date);
    CHECK(only(r).day() == 30);
  }
  {
    const auto r = parse_value("2026-Q4");
    const Value& v = only(r);
    CHECK(v.kind == ValueKind::Quarter);
    CHECK(v.year() == 2026);
    CHECK(v.quarter() == 4);
  }
  {
    const auto r = parse_value("2026-Q7");  // not validated here
    CHECK(only(r).kind == ValueKind::Quarter);
    CHECK(only(r).quarter() == 7);
  }
  {
    const auto r = parse_value("2026");
    CHECK(only(r).kind == ValueKind::Number);
    CHECK(only(r).number() == 2026);
  }
}

TEST_CASE("words, @references and booleans", "[syntax][values]") {
  {
    const auto r = parse_value("business");
    CHECK(only(r).kind == ValueKind::Word);
    CHECK(only(r).text() == "business");
  }
  {
    const auto r = parse_value("true");
    CHECK(only(r).kind == ValueKind::Word);
    CHECK(only(r).text() == "true");
  }
  {
    const auto r = parse_value("@maria_2");
    const Value& v = only(r);
    CHECK(v.kind == ValueKind::AtRef);
    CHECK(v.text() == "maria_2");
    CHECK(slice(*r.text, v.span) == "@maria_2");
  }
  {
    const auto r = parse_value("kpi");  // keywords are words in value position
    CHECK(only(r).kind == ValueKind::Word);
  }
}

TEST_CASE("Words: several identifiers in a row", "[syntax][values]") {
  const auto r = parse_value("avg  monthly");
  const Value& v = only(r);
  CHECK(v.kind == ValueKind::Words);
  REQUIRE(v.items().size() == 2);
  CHECK(v.items()[0].kind == ValueKind::Word);
  CHECK(v.items()[0].text() == "avg");
  CHECK(v.items()[1].text() == "monthly");
  CHECK(slice(*r.text, v.span) == "avg  monthly");
  CHECK(slice(*r.text, v.items()[1].span) == "monthly");
}

TEST_CASE("Words stop before the next field's name", "[syntax][values]") {
  const std::string text = "kpi x { aggregation: avg monthly unit: USD\n indicator: leading }";
  const auto tree = parse(text);
  REQUIRE(tree.errors.empty());
  const auto& f = tree.decls.at(0).fields;
  REQUIRE(f.size() == 3);
  CHECK(f[0].name() == "aggregation");
  CHECK(f[0].value.kind == ValueKind::Words);
  CHECK(f[0].value.items().size() == 2);
  CHECK(slice(text, f[0].span()) == "aggregation: avg monthly");
  CHECK(f[1].name() == "unit");
  CHECK(f[1].value.kind == ValueKind::Word);
  CHECK(f[1].value.text() == "USD");
  CHECK(f[2].value.text() == "leading");
}

TEST_CASE("lists: elements of every kind, nesting, trailing comma, comments", "[syntax][values]") {
  const auto r = parse_value("[@maria, \"s\", 1_000, 2026-Q1, [a, [b]], [], word, >= 5,]");
  const Value& v = only(r);
  CHECK(v.kind == ValueKind::List);
  REQUIRE(v.items().size() == 8);
  CHECK(v.items()[0].kind == ValueKind::AtRef);
  CHECK(v.items()[1].kind == ValueKind::String);
  CHECK(v.items()[2].kind == ValueKind::Number);
  CHECK(v.items()[3].kind == ValueKind::Quarter);
  CHECK(v.items()[4].kind == ValueKind::List);
  REQUIRE(v.items()[4].items().size() == 2);
  CHECK(v.items()[4].items()[1].kind == ValueKind::List);
  CHECK(v.items()[4].items()[1].items()[0].text() == "b");
  CHECK(v.items()[5].kind == ValueKind::List);
  CHECK(v.items()[5].items().empty());
  CHECK(v.items()[6].kind == ValueKind::Word);
  CHECK(v.items()[7].kind == ValueKind::Target);
  CHECK(slice(*r.text, v.span).front() == '[');
  CHECK(slice(*r.text, v.span).back() == ']');

  const std::string text = "team t {\n  members: [  # who\n    @a,  # first\n\n    @b\n  ]\n}\n";
  const auto tree = parse(text);
  REQUIRE(tree.errors.empty());
  const Value& m = field_at(tree.decls.at(0), 0).value;
  REQUIRE(m.items().size() == 2);
  CHECK(m.items()[1].text() == "b");
  CHECK(tree.comments.size() == 2);
}

TEST_CASE("lists: empty", "[syntax][values]") {
  const auto r = parse_value("[ ]");
  CHECK(only(r).kind == ValueKind::List);
  CHECK(only(r).items().empty());
}

TEST_CASE("targets: every optional part", "[syntax][values][target]") {
  {
    const auto r = parse_value("<= 30");
    const Value& v = only(r);
    REQUIRE(v.kind == ValueKind::Target);
    REQUIRE(v.target());
    const Target& t = *v.target();
    CHECK(t.comparator == Comparator::Le);
    CHECK(slice(*r.text, t.comparator_span) == "<=");
    CHECK(t.value.kind == ValueKind::Number);
    CHECK(t.value.number() == 30);
    CHECK(t.unit.kind == ValueKind::Missing);
    CHECK(t.deadline.kind == ValueKind::Missing);
    CHECK(t.variance.kind == ValueKind::Missing);
    CHECK(t.variance_unit.kind == ValueKind::Missing);
    CHECK(slice(*r.text, v.span) == "<= 30");
  }
  {
    const auto r = parse_value(">= 18% by 2026-12-31 ± 1%");
    const Value& v = only(r);
    REQUIRE(v.kind == ValueKind::Target);
    const Target& t = *v.target();
    CHECK(t.comparator == Comparator::Ge);
    CHECK(t.value.number() == 18);
    CHECK(t.value.percent);
    CHECK(t.unit.kind == ValueKind::Missing);
    CHECK(t.deadline.kind == ValueKind::Date);
    CHECK(t.deadline.month() == 12);
    CHECK(t.variance.kind == ValueKind::Number);
    CHECK(t.variance.number() == 1);
    CHECK(t.variance.percent);
    CHECK(slice(*r.text, v.span) == ">= 18% by 2026-12-31 ± 1%");
  }
  {
    const auto r = parse_value(">= 1_200_000 USD by 2026-09-30 ± 5%");
    const Target& t = *only(r).target();
    CHECK(t.value.number() == 1200000);
    CHECK(t.unit.kind == ValueKind::Word);
    CHECK(t.unit.text() == "USD");
    CHECK(t.deadline.kind == ValueKind::Date);
    CHECK(t.variance.number() == 5);
  }
  {
    const auto r = parse_value(">= 45 by 2026-Q4 ± 3");
    const Target& t = *only(r).target();
    CHECK(t.deadline.kind == ValueKind::Quarter);
    CHECK(t.deadline.quarter() == 4);
    CHECK(t.variance.number() == 3);
    CHECK_FALSE(t.variance.percent);
  }
  {
    const auto r = parse_value("= 4.5M USD by 2026-Q2 +- 0.5M USD");
    const Value& v = only(r);
    const Target& t = *v.target();
    CHECK(t.comparator == Comparator::Eq);
    CHECK(t.value.number() == 4500000);
    CHECK(t.unit.text() == "USD");
    CHECK(t.variance.number() == 500000);
    CHECK(t.variance_unit.text() == "USD");
    CHECK(slice(*r.text, t.variance_unit.span) == "USD");
    CHECK(slice(*r.text, v.span) == "= 4.5M USD by 2026-Q2 +- 0.5M USD");
  }
  {
    const auto r = parse_value("> 3 points");
    const Target& t = *only(r).target();
    CHECK(t.comparator == Comparator::Gt);
    CHECK(t.unit.text() == "points");
  }
  {
    const auto r = parse_value("< 0.2 ± 0.05");
    const Target& t = *only(r).target();
    CHECK(t.comparator == Comparator::Lt);
    CHECK(t.variance.number() == Approx(0.05));
  }
}

TEST_CASE("targets: a word or string value is accepted syntactically", "[syntax][values][target]") {
  {
    const auto r = parse_value(">= high by 2026-Q1");
    const Target& t = *only(r).target();
    CHECK(t.value.kind == ValueKind::Word);
    CHECK(t.value.text() == "high");
    CHECK(t.deadline.kind == ValueKind::Quarter);
  }
  {
    const auto r = parse_value(R"(= "a lot")");
    CHECK(only(r).target()->value.kind == ValueKind::String);
  }
}

TEST_CASE("targets end before the next field", "[syntax][values][target]") {
  const auto tree = parse("kpi x { target: >= 5 USD unit: USD }");
  REQUIRE(tree.errors.empty());
  const auto& f = tree.decls.at(0).fields;
  REQUIRE(f.size() == 2);
  CHECK(f[0].value.target()->unit.text() == "USD");
  CHECK(f[1].name() == "unit");
}

TEST_CASE("fields are separated by newlines, semicolons or whitespace", "[syntax][fields]") {
  const std::string text =
      "person joao { name: \"João Pereira\"  function: marketing_support }\n"
      "person ana { name: \"Ana\"; function: sales; }\n"
      "person bo {\n  name: \"Bo\"\n\n  function : finance\n}\n"
      "person cy { name:\"Cy\"function:sales}\n";
  const auto tree = parse(text);
  REQUIRE(tree.errors.empty());
  REQUIRE(tree.decls.size() == 4);
  for (const Decl& d : tree.decls) {
    INFO(d.name());
    CHECK(d.kind == DeclKind::Person);
    REQUIRE(d.fields.size() == 2);
    CHECK(d.fields[0].name() == "name");
    CHECK(d.fields[1].name() == "function");
  }
  CHECK(tree.decls[0].fields[0].value.text() == "João Pereira");
  CHECK(slice(text, tree.decls[0].fields[1].span()) == "function: marketing_support");
  CHECK(slice(text, tree.decls[0].fields[1].name_span) == "function");
}

TEST_CASE("unknown field names are not a syntax error", "[syntax][fields]") {
  const auto tree = parse("kpi x { colour: blue metric: m kpi: k use: u }");
  REQUIRE(tree.errors.empty());
  CHECK(tree.decls.at(0).fields.size() == 4);
}

TEST_CASE("declarations: kinds, names and spans", "[syntax][decls]") {
  const std::string text =
      "use std.marketing\n"
      "person p { }\nteam t {}\nobjective o {}\nkpi k {}\nmetric m {}\nexperiment e {}\n"
      "kpi allman\n{\n  title: \"x\"\n}\n";
  const auto tree = parse(text);
  REQUIRE(tree.errors.empty());
  REQUIRE(tree.decls.size() == 8);
  const DeclKind kinds[] = {DeclKind::Use,       DeclKind::Person, DeclKind::Team,       DeclKind::Objective,
                            DeclKind::Kpi,       DeclKind::Metric, DeclKind::Experiment, DeclKind::Kpi};
  for (std::size_t i = 0; i < 8; ++i) {
    CHECK(tree.decls[i].kind == kinds[i]);
    CHECK_FALSE(tree.decls[i].has_error);
  }
  const Decl& use = tree.decls[0];
  CHECK(use.name() == "std.marketing");
  CHECK(slice(text, use.name_span) == "std.marketing");
  CHECK(slice(text, use.keyword_span) == "use");
  CHECK(slice(text, use.span) == "use std.marketing");
  CHECK(use.fields.empty());
  CHECK(slice(text, tree.decls[1].span) == "person p { }");
  CHECK(slice(text, tree.decls[1].keyword_span) == "person");
  CHECK(slice(text, tree.decls[1].name_span) == "p");
  CHECK(slice(text, tree.decls[7].span) == "kpi allman\n{\n  title: \"x\"\n}");
  CHECK(keyword(DeclKind::Experiment) == "experiment");
  CHECK(to_string(Comparator::Ge) == ">=");
  CHECK(to_string(Comparator::Eq) == "=");
}

TEST_CASE("use accepts any dotted path", "[syntax][decls]") {
  const auto tree = parse("use a.b.c\nuse std");
  REQUIRE(tree.errors.empty());
  REQUIRE(tree.decls.size() == 2);
  CHECK(tree.decls[0].name() == "a.b.c");
  CHECK(tree.decls[1].name() == "std");
}

TEST_CASE("keywords are keywords only in declaration position", "[syntax][decls]") {
  const auto tree = parse("kpi kpi { metric: metric\n  kpi: use }\nkpis x {}\n");
  REQUIRE(tree.decls.size() == 1);
  CHECK(tree.decls[0].name() == "kpi");
  CHECK(tree.decls[0].fields.size() == 2);
  REQUIRE(tree.errors.size() == 1);  // `kpis` is not a keyword
}

TEST_CASE("comments are recorded wherever whitespace may be", "[syntax][comments]") {
  const std::string text =
      "# head\n"
      "use std.marketing # after use\n"
      "kpi x # after the name\n"
      "{ # after the brace\n"
      "  # a line of its own\n"
      "  level: business # after a value\n"
      "  target: >= 5 USD # after a target\n"
      "  set_by: [a, # in a list\n b]\n"
      "} # after the body\r\n"
      "# last, no newline";
  const auto tree = parse(text);
  REQUIRE(tree.errors.empty());
  REQUIRE(tree.comments.size() == 10);
  CHECK(slice(text, tree.comments[0].span) == "# head");
  CHECK(slice(text, tree.comments[8].span) == "# after the body");  // without the CR LF
  CHECK(slice(text, tree.comments[9].span) == "# last, no newline");
  REQUIRE(tree.decls.size() == 2);
  CHECK(tree.decls[1].fields.size() == 3);
}

TEST_CASE("CRLF line ends and a BOM", "[syntax]") {
  const std::string text = "\xEF\xBB\xBFkpi x {\r\n  title: \"t\"\r\n  level: business\r\n}\r\n";
  const auto tree = parse(text);
  REQUIRE(tree.errors.empty());
  REQUIRE(tree.decls.size() == 1);
  CHECK(tree.decls[0].fields.size() == 2);
  CHECK(tree.decls[0].fields[1].value.text() == "business");
}

TEST_CASE("the SPEC example parses", "[syntax]") {
  const std::string text = R"kpi(# PB Shoes: win the pickleball shoe market
use std.marketing                     # stdlib module

person maria {
  name: "Maria Lopez"
  function: demand_gen                # demand_gen | marketing_support
}
person joao { name: "João Pereira"  function: marketing_support }

team growth {
  name: "Growth"
  members: [@maria, @joao]
}

objective pickleball_share {
  title: "Dominate the pickleball shoe market"
  owner: @ceo
  horizon: 2026-Q4
  review: quarterly
}

kpi pickleball_market_share {
  title: "Pickleball category market share"
  level: business
  aggregation: avg monthly            # sum | avg
  target: >= 18% by 2026-12-31 ± 1%   # comparator
}

kpi ecom_pickleball_revenue {
  set_by: [finance, marketing]
  target: >= 1_200_000 USD by 2026-09-30 ± 5%
}

experiment free_shipping_test {
  hypothesis: "Free shipping lifts pickleball conversion by 10%"
  kpi: ecom_pickleball_revenue
  stop: "after 4 weeks or 2000 orders"
}
)kpi";
  const auto tree = parse(text);
  for (const auto& e : tree.errors) FAIL_CHECK(e.message);
  REQUIRE(tree.decls.size() == 8);
  CHECK(field_at(tree.decls[5], 2).value.kind == ValueKind::Words);
  CHECK(field_at(tree.decls[5], 3).value.kind == ValueKind::Target);
  CHECK(tree.comments.size() == 5);
}

// A field keeps no pointer to its name: it is read from the source where the
// field's value is anchored. Every kind of value, escapes and empties included.
TEST_CASE("fields: every field's name is read from the source through its value", "[syntax][values]") {
  const std::string text =
      "kpi k {\n"
      "  word: business\n"
      "  words: avg   monthly\n"
      "  number: -1_200.5M\n"
      "  percent: 18%\n"
      "  date: 2026-12-31\n"
      "  quarter: 2026-Q4\n"
      "  at: @someone\n"
      "  plain: \"text\"\n"
      "  escaped: \"a\\\"b\\u{e9}\"\n"
      "  empty_string: \"\"\n"
      "  list: [a, @b, \"c\", [d]]\n"
      "  empty_list: []\n"
      "  target: >= 4.5M USD by 2026-Q4 \xC2\xB1 5%\n"
      "  bare_target: < 3\n"
      "}\n";
  const auto tree = parse(text);
  REQUIRE(tree.errors.empty());
  REQUIRE(tree.decls.size() == 1);
  const std::vector<std::string_view> names = {"word",   "words",   "number",       "percent", "date",
                                               "quarter", "at",     "plain",        "escaped", "empty_string",
                                               "list",   "empty_list", "target",    "bare_target"};
  const auto& fields = tree.decls[0].fields;
  REQUIRE(fields.size() == names.size());
  for (std::size_t i = 0; i < fields.size(); ++i) {
    INFO(names[i]);
    CHECK(fields[i].name() == names[i]);
    CHECK(fields[i].name().data() == text.data() + fields[i].name_span.begin);
    // And the value's own text, as before.
    CHECK(fields[i].value.source_at(fields[i].value.span) == slice(text, fields[i].value.span));
  }
  CHECK(fields[8].value.text() == "a\"b\xC3\xA9");  // decoded, though anchored at the raw text
  CHECK(fields[10].value.text().empty());           // a list has no text of its own
  CHECK(fields[11].value.text().empty());
}
