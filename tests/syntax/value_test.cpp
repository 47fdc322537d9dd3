// syntax::Value keeps a number, a date, list items or a target in one slot. These
// tests hold the accessors to "none" for the other kinds and the ownership to
// one owner through moves (ASan in CI sees a leak or a double free).
#include <catch2/catch.hpp>

#include <string>
#include <utility>
#include <vector>

#include "base/arena.hpp"
#include "syntax/tree.hpp"

using kpilint::syntax::Target;
using kpilint::syntax::TargetPtr;
using kpilint::syntax::Value;
using kpilint::syntax::ValueKind;

namespace {

Value word(std::string_view text) {
  Value v;
  v.kind = ValueKind::Word;
  v.set_text(text);
  return v;
}

}  // namespace

TEST_CASE("a Value is 32 bytes, and its slot answers only for what it holds", "[syntax][value]") {
  STATIC_REQUIRE(sizeof(void*) != 8 || sizeof(Value) == 32);
  Value v;
  CHECK(v.number() == 0);
  CHECK(v.items().empty());
  CHECK(v.target() == nullptr);

  v.set_number(4.5e6);
  CHECK(v.number() == 4.5e6);
  CHECK(v.items().empty());
  CHECK(v.target() == nullptr);

  v.item_list().push_back(word("avg"));  // replaces the number
  CHECK(v.number() == 0);
  REQUIRE(v.items().size() == 1);
  CHECK(v.items()[0].text() == "avg");

  v.set_target(TargetPtr(new Target()));  // replaces (and frees) the items
  CHECK(v.items().empty());
  REQUIRE(v.target() != nullptr);
  v.target()->value.set_number(18);
  CHECK(v.target()->value.number() == 18);

  v.set_number(1);  // frees the target
  CHECK(v.target() == nullptr);
  CHECK(v.number() == 1);
  CHECK(v.year() == 0);

  v.kind = ValueKind::Date;
  v.set_date(2026, 12, 31);  // replaces the number
  CHECK(v.number() == 0);
  CHECK(v.year() == 2026);
  CHECK(v.month() == 12);
  CHECK(v.day() == 31);
  CHECK(v.quarter() == 0);

  v.kind = ValueKind::Quarter;
  v.set_quarter(2027, 3);
  CHECK(v.year() == 2027);
  CHECK(v.quarter() == 3);
  CHECK(v.month() == 0);
  CHECK(v.day() == 0);

  v.item_list().push_back(word("q3"));  // replaces the quarter
  CHECK(v.year() == 0);
  CHECK(v.quarter() == 0);
}

TEST_CASE("a Value's text is as long as it was set, past 64 KiB too", "[syntax][value]") {
  const std::string long_text(70'000, 'x');
  Value v = word(long_text);
  CHECK(v.text().size() == 70'000);
  CHECK(v.text().data() == long_text.data());
  CHECK(Value().text().empty());
}

TEST_CASE("a moved Value takes its slot; the one it came from keeps nothing", "[syntax][value]") {
  Value list;
  list.kind = ValueKind::List;
  list.item_list().push_back(word("a"));
  list.item_list().push_back(word("b"));
  Value moved(std::move(list));
  CHECK(moved.kind == ValueKind::List);
  REQUIRE(moved.items().size() == 2);
  CHECK(moved.items()[1].text() == "b");
  CHECK(list.items().empty());  // NOLINT(bugprone-use-after-move): the point of the test

  Value target;
  target.kind = ValueKind::Target;
  target.set_target(TargetPtr(new Target()));
  target.target()->unit = word("USD");
  moved = std::move(target);  // frees the list it held
  CHECK(moved.kind == ValueKind::Target);
  CHECK(moved.items().empty());
  REQUIRE(moved.target() != nullptr);
  CHECK(moved.target()->unit.text() == "USD");
  CHECK(target.target() == nullptr);  // NOLINT(bugprone-use-after-move)

  std::vector<Value> values;
  for (int i = 0; i < 100; ++i) {  // grown past its capacity: every element moved
    Value& v = values.emplace_back();
    v.set_number(i);
  }
  CHECK(values[99].number() == 99);
  CHECK(values[0].number() == 0);
}

TEST_CASE("a target made in an arena is destroyed with its value, not freed", "[syntax][value]") {
  kpilint::Arena arena;
  {
    Value v;
    auto* made = new (arena.allocate(sizeof(Target), alignof(Target))) Target();
    made->in_arena = true;
    v.set_target(TargetPtr(made));
    v.target()->deadline.item_list().push_back(word("q4"));  // heap memory inside: freed by the destructor
    CHECK(v.target()->deadline.items().size() == 1);
  }
  SUCCEED("no double free or leak (ASan)");
}
