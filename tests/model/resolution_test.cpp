#include <catch2/catch.hpp>

#include "model_support.hpp"
#include "model/values.hpp"

#include <algorithm>
#include <set>

using kpilint::test::build;
using Strings = std::vector<std::string>;
namespace model = kpilint::model;

TEST_CASE("references resolve across files of one workspace", "[model]") {
  auto m = build({
      {"a.kpi", "objective grow { title: \"Grow\" owner: @ceo }\n"},
      {"b.kpi", "kpi revenue_total {\n  level: business\n  objective: grow\n  owner: @ceo\n}\n"},
      {"c.kpi", "person ceo { name: \"Dana\" }\n"},
  });
  CHECK(m->findings() == Strings{});
  const model::Entity* kpi = m->model->find("revenue_total");
  REQUIRE(kpi != nullptr);
  CHECK(kpi->slot(model::FieldId::Objective).ref == m->model->find("grow"));
  CHECK(kpi->slot(model::FieldId::Owner).ref == m->model->find("ceo"));
  REQUIRE(m->model->find("grow")->kpis().size() == 1);
  CHECK(m->model->find("ceo")->owned().size() == 1);
}

TEST_CASE("KPI002: a second definition points at the first", "[model]") {
  auto m = build({
      {"a.kpi", "kpi growth { level: business }\n"},
      {"b.kpi", "\nobjective growth { title: \"x\" }\n"},
  });
  CHECK(m->findings() == Strings{"b.kpi:2:11:KPI002"});
  const auto* d = m->find("KPI002");
  REQUIRE(d->related.size() == 1);
  CHECK(d->related[0].location.file->path == "a.kpi");
  CHECK(d->related[0].location.span.begin == 4);
  // References resolve to the first definition; no rule runs on the second.
  CHECK(m->model->find("growth")->kind == model::DeclKind::Kpi);
  CHECK(m->model->of_kind(model::DeclKind::Objective).empty());
}

TEST_CASE("KPI003: a dangling reference, with the closest name suggested", "[model]") {
  auto m = build({{"a.kpi",
                   "kpi pickleball_revenue { level: business }\n"
                   "kpi ecom {\n  level: marketing\n  parent: pickleball_revnue\n  owner: @nobody\n}\n"}});
  CHECK(m->findings() == Strings{"a.kpi:4:11:KPI003", "a.kpi:5:10:KPI003"});
  const auto* d = m->find("KPI003");
  CHECK(d->message == "no KPI named 'pickleball_revnue'; did you mean 'pickleball_revenue'?");
  REQUIRE(d->fixes.size() == 1);
  CHECK(d->fixes[0].edits[0].new_text == "pickleball_revenue");
  // The dangling parent reads as unknown: rules will not pile on.
  const auto* ecom = m->model->find("ecom");
  CHECK(model::read_field(*ecom, model::FieldId::Parent).state == model::ReadState::Unknown);
}

TEST_CASE("KPI003 suggestions only offer names of the wanted kind", "[model]") {
  auto m = build({{"a.kpi", "objective growth_q { title: \"x\" }\nkpi k { level: business objective: growth_x parent: growth_x }\n"}});
  std::vector<std::string> messages;
  for (const auto& d : m->diagnostics) messages.push_back(d.message);
  CHECK(messages == Strings{"no objective named 'growth_x'; did you mean 'growth_q'?", "no KPI named 'growth_x'"});
}

TEST_CASE("KPI004: a parent cycle is reported once with the whole cycle", "[model]") {
  auto m = build({
      {"a.kpi", "kpi a1 { parent: b1 }\n"},
      {"b.kpi", "kpi b1 { parent: c1 }\nkpi c1 { parent: a1 }\n"},
  });
  CHECK(m->findings() == Strings{"a.kpi:1:18:KPI004"});
  const auto* d = m->find("KPI004");
  CHECK(d->message == "rollup cycle: a1 → b1 → c1 → a1");
  CHECK(d->related.size() == 2);
  // Reads of `parent` through the cycle are unknown, but each member is still
  // its parent's child: the cycle stays part of an objective's tree.
  const auto* a1 = m->model->find("a1");
  CHECK(a1->invalid(model::FieldId::Parent));
  REQUIRE(a1->children().size() == 1);
  CHECK(a1->children()[0]->name == "c1");
}

TEST_CASE("KPI004: a KPI that is its own parent", "[model]") {
  auto m = build({{"a.kpi", "kpi selfish { parent: selfish }\n"}});
  CHECK(m->findings() == Strings{"a.kpi:1:23:KPI004"});
}

TEST_CASE("KPI005: wrong kinds of values", "[model]") {
  auto m = build({{"a.kpi",
                   "objective o { title: \"o\" horizon: 2026-02-30 review: daily }\n"  // bad date, bad enum
                   "kpi k {\n"
                   "  level: busines\n"            // 3: unknown enum word
                   "  parent: o\n"                 // 4: an objective is not a KPI
                   "  owner: ceo\n"                // 5: owner needs @
                   "  aggregation: sum\n"          // 6: method without period
                   "  seasonal: maybe\n"           // 7: not a boolean
                   "  title: 42\n"                 // 8: not a string
                   "  target: >= 10 by 2026-Q5\n"  // 9: invalid quarter
                   "}\n"
                   "person ceo { name: \"c\" }\n"}});
  CHECK(m->findings() == Strings{"a.kpi:1:35:KPI005", "a.kpi:1:54:KPI005", "a.kpi:3:10:KPI005", "a.kpi:4:11:KPI005",
                                 "a.kpi:5:10:KPI005", "a.kpi:6:16:KPI005", "a.kpi:7:13:KPI005", "a.kpi:8:10:KPI005",
                                 "a.kpi:9:20:KPI005"});
  const auto* level = m->find("KPI005");
  CHECK(level->message == "'2026-02-30' is not a valid date");
}

TEST_CASE("KPI005: a target unit that contradicts the KPI's unit", "[model]") {
  auto m = build({{"a.kpi",
                   "use std.marketing\n"
                   "kpi a { unit: USD target: >= 18% }\n"          // percent vs USD
                   "kpi b { metric: revenue target: >= 5 EUR }\n"  // currency accepts any code
                   "kpi c { metric: market_share target: >= 5 USD }\n"}});
  CHECK(m->findings() == Strings{"a.kpi:2:30:KPI005", "a.kpi:4:43:KPI005"});
  CHECK(m->diagnostics.back().message == "target is in USD but KPI 'c' is measured in percent (from metric 'market_share')");
}

TEST_CASE("KPI006: unknown field, with a suggestion and a fix", "[model]") {
  auto m = build({{"a.kpi", "kpi k {\n  sorce: \"x\"\n}\n"}});
  CHECK(m->findings() == Strings{"a.kpi:2:3:KPI006"});
  const auto* d = m->find("KPI006");
  CHECK(d->severity == kpilint::Severity::Warning);
  CHECK(d->message == "KPI 'k' has no field 'sorce'; did you mean 'source'?");
  CHECK(d->fixes.at(0).edits.at(0).new_text == "source");
}

TEST_CASE("KPI007: unknown stdlib module", "[model]") {
  auto m = build({{"a.kpi", "use std.marketting\nuse std.business\n"}});
  CHECK(m->findings() == Strings{"a.kpi:1:5:KPI007"});
  CHECK(m->find("KPI007")->message == "unknown module 'std.marketting'; did you mean 'std.marketing'?");
}

TEST_CASE("stdlib metrics come in through `use` and are inherited", "[model]") {
  auto m = build({
      {"a.kpi", "use std.marketing\nkpi open_rate { metric: email_open_rate }\nkpi revenue { metric: revenue unit: BRL }\n"},
      {"b.kpi", "kpi no_use { metric: email_open_rate }\n"},
  });
  // b.kpi does not `use std.marketing`: the metric is not in its scope.
  CHECK(m->findings() == Strings{"b.kpi:1:22:KPI003"});
  CHECK(m->find("KPI003")->help == "'email_open_rate' is a metric of std.marketing: add `use std.marketing` to this file");
  const auto* open_rate = m->model->find("open_rate");
  const auto vanity = model::read_field(*open_rate, model::FieldId::Vanity);
  REQUIRE(vanity.state == model::ReadState::Present);
  CHECK(vanity.field->value.text() == "true");
  CHECK(model::read_field(*open_rate, model::FieldId::Aggregation).field->value.items()[1].text() == "weekly");
  // A KPI may share its name with a stdlib metric; its own unit wins over the metric's.
  const auto* revenue = m->model->find("revenue");
  CHECK(revenue->slot(model::FieldId::Metric).ref->stdlib);
  CHECK(model::read_field(*revenue, model::FieldId::Unit).field->value.text() == "BRL");
}

TEST_CASE("a workspace metric shadows the stdlib one", "[model]") {
  auto m = build({{"a.kpi", "use std.marketing\nmetric revenue { unit: points }\nkpi k { metric: revenue }\n"}});
  CHECK(m->findings() == Strings{});
  CHECK_FALSE(m->model->find("k")->slot(model::FieldId::Metric).ref->stdlib);
}

TEST_CASE("a declaration with a syntax error keeps its name defined", "[model]") {
  auto m = build({{"a.kpi", "kpi broken {\n  title: \"open\n}\nkpi child { parent: broken }\n"}});
  const auto findings = m->findings();
  CHECK(findings == Strings{"a.kpi:2:10:KPI001"});
  CHECK(m->model->find("child")->slot(model::FieldId::Parent).ref == m->model->find("broken"));
}

TEST_CASE("reference tokens are recorded without the '@'", "[model]") {
  auto m = build({{"a.kpi", "person p { name: \"p\" }\nobjective o { owner: @p }\n"}});
  REQUIRE(std::ranges::distance(m->model->references()) == 1);
  const auto& ref = *m->model->references().begin();
  CHECK(ref.document->source->slice(ref.span) == "p");
  CHECK(ref.target == m->model->find("p"));
}

TEST_CASE("dates are validated against the calendar", "[model]") {
  CHECK(model::is_valid_date(2024, 2, 29));
  CHECK_FALSE(model::is_valid_date(2026, 2, 29));
  CHECK_FALSE(model::is_valid_date(2026, 4, 31));
  CHECK_FALSE(model::is_valid_date(2026, 13, 1));
  CHECK(model::is_valid_date(2000, 2, 29));
  CHECK_FALSE(model::is_valid_date(1900, 2, 29));
}

// Above 20,000 declarations resolution runs in parts on several threads and
// the dangling-name scan in two halves; the findings must be those of a
// sequential run: every typo found with its suggestion, in path order, once.
TEST_CASE("resolution: a workspace large enough to be resolved in parallel gives the sequential answer", "[model]") {
  constexpr int kFiles = 4, kPerFile = 12'000;
  std::vector<std::pair<std::string, std::string>> files;
  std::vector<std::string> expected_findings;
  for (int f = 0; f < kFiles; ++f) {
    std::string text;
    for (int i = 0; i < kPerFile; ++i) {
      const int n = f * kPerFile + i;
      std::string parent = n == 0 ? "" : fmt::format(" parent: kpi_{}", n - 1);
      std::string line = fmt::format("kpi kpi_{} {{ level: business", n);
      if (n % 9973 == 5) {  // a typo in the parent's name: one letter dropped
        parent = fmt::format(" parent: kp_{}", n - 1);
        expected_findings.push_back(fmt::format("f{}.kpi:{}:{}:KPI003", f, i + 1, line.size() + 10));
      }
      text += line + parent + " }\n";
    }
    files.emplace_back(fmt::format("f{}.kpi", f), std::move(text));
  }
  files.emplace_back("z.kpi", "kpi kpi_47999 { level: business }\n");  // a duplicate, last in path order
  expected_findings.push_back("z.kpi:1:5:KPI002");
  const auto built = build(std::move(files));
  CHECK(built->findings() == expected_findings);
  std::vector<std::string> messages;
  for (const auto& d : built->diagnostics) {
    if (d.code == "KPI003") messages.push_back(d.message);
  }
  REQUIRE(messages.size() == 5);
  CHECK(messages.front() == "no KPI named 'kp_4'; did you mean 'kpi_4'?");
  CHECK(messages.back() == "no KPI named 'kp_39896'; did you mean 'kpi_39896'?");
  CHECK(std::ranges::distance(built->model->references()) == 4 * 12'000 - 1);
  // Each worker keeps its own list; read as one, they are in path order:
  // the parent of kpi_n is kpi_(n-1), so the names count up.
  int expected_parent = 0;
  for (const auto& reference : built->model->references()) {
    const std::string_view text = reference.document->source->slice(reference.span);
    if (text.substr(0, 3) == "kp_") {  // the typo: unresolved
      CHECK(reference.target == nullptr);
    } else {
      CHECK(text == fmt::format("kpi_{}", expected_parent));
    }
    ++expected_parent;
  }
  CHECK(built->model->of_kind(model::DeclKind::Kpi).size() == 48'000);
}

TEST_CASE("enum words: one numbering over every enum, text back from the number", "[model][schema]") {
  std::set<std::uint8_t> seen;
  for (const auto id : {model::EnumId::Function, model::EnumId::Cadence, model::EnumId::Level, model::EnumId::Indicator,
                        model::EnumId::Compare, model::EnumId::Rollup, model::EnumId::Category, model::EnumId::Stakeholder,
                        model::EnumId::AggregationMethod, model::EnumId::Period, model::EnumId::MarketingFunction}) {
    for (const std::string_view word : model::enum_words(id)) {
      const auto number = model::enum_word_id(id, word);
      REQUIRE(number);
      CHECK(model::enum_word_text(*number) == word);
      CHECK(seen.insert(*number).second);  // no two words of two enums share a number
    }
  }
  CHECK(seen.size() < 255);  // Entity::words keeps number + 1 in a byte
  CHECK_FALSE(model::enum_word_id(model::EnumId::Level, "buisness"));
  CHECK_FALSE(model::enum_word_id(model::EnumId::Level, "monthly"));  // a word of another enum
  CHECK(model::enum_word_text(255).empty());
}

TEST_CASE("enum words: a checked word is read from the entity, a stdlib metric's too", "[model]") {
  auto m = build({{"a.kpi", "use std.marketing\n"
                            "kpi top { level: business }\n"
                            "kpi bad { level: buisness }\n"
                            "kpi open_rate { metric: email_open_rate level: marketing parent: top }\n"}});
  const auto word_of = [](const model::WordRead& read) {
    REQUIRE(read.state == model::ReadState::Present);
    REQUIRE(read.word != 0);
    return model::enum_word_text(static_cast<std::uint8_t>(read.word - 1));
  };
  const auto* top = m->model->find("top");
  CHECK(word_of(model::read_word(*top, model::FieldId::Level)) == "business");
  CHECK(model::is_business(*top));
  // A word that failed its check (KPI005) reads as unknown, as read_field says.
  const auto* bad = m->model->find("bad");
  CHECK(model::read_word(*bad, model::FieldId::Level).state == model::ReadState::Unknown);
  CHECK(model::read_field(*bad, model::FieldId::Level).state == model::ReadState::Unknown);
  CHECK_FALSE(model::is_business(*bad));
  // Unset and not inherited: absent.
  CHECK(model::read_word(*top, model::FieldId::Indicator).state == model::ReadState::Absent);
  // Inherited from a stdlib metric, whose words are numbered when the
  // stdlib is loaded: the same word as its text, read from the metric.
  const auto* open_rate = m->model->find("open_rate");
  CHECK(word_of(model::read_word(*open_rate, model::FieldId::Level)) == "marketing");
  const auto indicator = model::read_word(*open_rate, model::FieldId::Indicator);
  CHECK(word_of(indicator) == "leading");
  CHECK(indicator.owner == open_rate->ref(model::FieldId::Metric));
  CHECK(indicator.owner->stdlib);
  CHECK(model::read_field(*open_rate, model::FieldId::Indicator).field->value.text() == "leading");
  CHECK(word_of(model::read_word(*indicator.owner, model::FieldId::Category)) == "engagement");
}

// The name table is filled shard by shard on two cores on a workspace this
// large: the first definition must still win for every name, whichever shard
// it falls in, and each later one be reported once, in path order.
TEST_CASE("resolution: duplicates in a workspace named in parallel point at the first definition", "[model]") {
  constexpr int kNames = 25'000;
  std::string a, b, c;
  for (int i = 0; i < kNames; ++i) a += fmt::format("kpi k{} {{ level: business }}\n", i);
  std::vector<std::string> expected;
  for (int i = 0; i < kNames; i += 1000) {
    b += fmt::format("kpi k{} {{ }}\n", i);
    expected.push_back(fmt::format("b.kpi:{}:5:KPI002", i / 1000 + 1));
  }
  for (int i = 0; i < kNames; i += 5000) {
    c += fmt::format("objective k{} {{ }}\n", i);  // a third definition, of another kind
    expected.push_back(fmt::format("c.kpi:{}:11:KPI002", i / 5000 + 1));
  }
  const auto built = build({{"a.kpi", std::move(a)}, {"b.kpi", std::move(b)}, {"c.kpi", std::move(c)}});
  CHECK(built->findings() == expected);
  std::size_t kpi002 = 0;
  for (const auto& d : built->diagnostics) {
    if (d.code != "KPI002") continue;
    ++kpi002;
    REQUIRE(d.related.size() == 1);
    CHECK(d.related[0].location.file->path == "a.kpi");
    CHECK(d.message.find("already defined as a KPI in a.kpi") != std::string::npos);
  }
  CHECK(kpi002 == expected.size());
  for (int i = 0; i < kNames; i += 1000) {
    const auto* first = built->model->find(fmt::format("k{}", i));
    REQUIRE(first != nullptr);
    CHECK(first->document->source->path == "a.kpi");
    CHECK_FALSE(first->duplicate);
  }
  CHECK(built->model->names().size() == kNames);
  CHECK(built->model->of_kind(model::DeclKind::Kpi).size() == kNames);  // duplicates are not checkable
  CHECK(built->model->of_kind(model::DeclKind::Objective).empty());
}

TEST_CASE("a field past the 254th of a declaration is still found and resolved", "[model]") {
  // An entity keeps where each field sits in one byte; a declaration that
  // long (made up, or generated) falls back to a scan.
  std::string kpi = "kpi long_one {\n";
  for (int i = 0; i < 300; ++i) kpi += "  extra_" + std::to_string(i) + ": 1\n";
  kpi += "  owner: @ceo\n  level: business\n}\n";
  auto m = build({{"a.kpi", kpi}, {"b.kpi", "person ceo { name: \"Dana\" }\n"}});
  CHECK(std::count_if(m->diagnostics.begin(), m->diagnostics.end(), [](const auto& d) { return d.code == "KPI006"; }) == 300);
  CHECK(std::none_of(m->diagnostics.begin(), m->diagnostics.end(), [](const auto& d) { return d.code != "KPI006"; }));
  const model::Entity* e = m->model->find("long_one");
  REQUIRE(e != nullptr);
  const model::FieldSlot owner = e->slot(model::FieldId::Owner);
  REQUIRE(owner.field != nullptr);
  CHECK(owner.field->name() == "owner");
  CHECK(owner.field->value.text() == "ceo");
  CHECK(owner.ref == m->model->find("ceo"));
  REQUIRE(e->slot(model::FieldId::Level).field != nullptr);
  CHECK(e->slot(model::FieldId::Level).field->value.text() == "business");
  CHECK(model::is_business(*e));
  REQUIRE(m->model->find("ceo")->owned().size() == 1);
  CHECK(m->model->find("ceo")->owned()[0] == e);
}

TEST_CASE("relations list their KPIs in path order, each list apart", "[model]") {
  auto m = build({
      {"a.kpi", "objective grow { title: \"Grow\" owner: @ceo }\nperson ceo { name: \"Dana\" }\n"
                "kpi top { level: business objective: grow owner: @ceo }\n"},
      {"b.kpi", "kpi child_b { parent: top owner: @ceo }\nkpi other { level: business objective: grow }\n"},
      {"c.kpi", "kpi child_c { parent: top owner: @ceo }\n"},
  });
  const auto names = [](std::span<const model::Entity* const> list) {
    Strings out;
    for (const model::Entity* e : list) out.emplace_back(e->name);
    return out;
  };
  CHECK(names(m->model->find("grow")->kpis()) == Strings{"top", "other"});
  CHECK(names(m->model->find("grow")->children()).empty());
  CHECK(names(m->model->find("top")->children()) == Strings{"child_b", "child_c"});
  CHECK(names(m->model->find("top")->kpis()).empty());
  CHECK(names(m->model->find("ceo")->owned()) == Strings{"top", "child_b", "child_c"});
  CHECK(names(m->model->find("child_c")->owned()).empty());
}

// On a workspace this large the fields pass runs on two cores and compares
// each KPI's target unit as soon as its fields are checked; a unit inherited
// from a workspace metric (declared later, maybe being checked by the other
// core) is compared after the pass. Both must report exactly the mismatches.
TEST_CASE("KPI005: target units are compared with units inherited from workspace metrics, in a parallel pass", "[model]") {
  constexpr int kKpis = 21'000;  // per file: two files, well past one worker's share
  std::vector<std::string> expected;
  const auto kpis = [&](std::string_view file) {
    std::string text = "use std.marketing\n";
    for (int i = 0; i < kKpis; ++i) {
      const int line = i + 2;
      if (i % 3000 == 0) {  // a workspace metric in percent, a target in USD
        text += fmt::format("kpi {}{} {{ metric: share_here target: >= 5 USD }}\n", file, i);
        expected.push_back(fmt::format("{}.kpi:{}:{}:KPI005", file, line, 40 + file.size() + std::to_string(i).size()));
      } else if (i % 3000 == 1) {  // a stdlib metric in percent
        text += fmt::format("kpi {}{} {{ metric: market_share target: >= 5 USD }}\n", file, i);
        expected.push_back(fmt::format("{}.kpi:{}:{}:KPI005", file, line, 42 + file.size() + std::to_string(i).size()));
      } else if (i % 2 == 0) {
        text += fmt::format("kpi {}{} {{ metric: share_here target: >= 5% }}\n", file, i);
      } else {
        text += fmt::format("kpi {}{} {{ unit: USD target: >= 5 USD }}\n", file, i);
      }
    }
    return text;
  };
  std::string a = kpis("a"), b = kpis("b");
  const auto built = build({{"a.kpi", std::move(a)},
                            {"b.kpi", std::move(b)},
                            {"z.kpi", "metric share_here { unit: percent }\n"}});
  std::sort(expected.begin(), expected.end());
  Strings found = built->findings();
  std::sort(found.begin(), found.end());
  CHECK(found == expected);
  std::size_t inherited = 0;
  for (const auto& d : built->diagnostics) {
    if (d.message.find("(from metric 'share_here')") != std::string::npos) ++inherited;
  }
  CHECK(inherited == 2 * 7);  // i = 0, 3000, ..., 18000 in each file
}
