// Parsing into an arena (as the workspace loader does) gives the same tree as
// parsing onto the heap.
#include <catch2/catch.hpp>

#include <fmt/format.h>

#include <string>

#include "base/arena.hpp"
#include "syntax/tree.hpp"

using namespace kpilint;
using namespace kpilint::syntax;

namespace {

void dump(std::string& out, const Value& v) {
  out += fmt::format("({} {}-{} '{}' {}", static_cast<int>(v.kind), v.span.begin, v.span.end, v.text(), v.number());
  for (const Value& item : v.items()) dump(out, item);
  if (v.target()) {
    out += fmt::format(" target {}", static_cast<int>(v.target()->comparator));
    for (const Value* part : {&v.target()->value, &v.target()->unit, &v.target()->deadline, &v.target()->variance,
                              &v.target()->variance_unit}) {
      dump(out, *part);
    }
  }
  out += ')';
}

std::string dump(const SyntaxTree& tree) {
  std::string out;
  for (const Decl& decl : tree.decls) {
    out += fmt::format("{} {} {}-{} error={}\n", keyword(decl.kind), decl.name(), decl.span.begin, decl.span.end, decl.has_error);
    for (const Field& field : decl.fields) {
      out += fmt::format("  {} ", field.name());
      dump(out, field.value);
      out += '\n';
    }
  }
  for (const SyntaxError& error : tree.errors) out += fmt::format("error {}-{} {}\n", error.span.begin, error.span.end, error.message);
  return out;
}

constexpr const char* kText = R"(use std.marketing
person ana { name: "Ana \u{e9}" function: executive }
kpi revenue {
  title: "Revenue"
  target: >= 4.5M USD by 2026-Q4 ± 5%
  aggregation: sum monthly
  tags: [a, b, [c]]
}
kpi broken {
  title: "no closing quote
  target: <= 3% by 2027-01-31
}
kpi after { target: >= 1 by 2026-12-31 }
)";

}  // namespace

TEST_CASE("parse: a tree in an arena is the tree on the heap", "[syntax][arena]") {
  const SyntaxTree on_heap = parse(kText);
  Arena arena;
  SyntaxTree in_arena = parse(kText, &arena);
  CHECK(arena.reserved() > 0);
  CHECK(in_arena.fields.get_allocator().arena == &arena);
  const std::string expected = dump(on_heap);
  CHECK(expected.find("target") != std::string::npos);
  CHECK(dump(in_arena) == expected);
  // Moved (as into a Document), the declarations still see their fields.
  const SyntaxTree moved = std::move(in_arena);
  CHECK(dump(moved) == expected);
}
