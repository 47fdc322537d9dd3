#pragma once
// Helpers shared by the syntax tests.
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>

#include "syntax/tree.hpp"

namespace kpilint::syntax::test {

// 1-based line and byte column of a byte offset.
inline std::pair<int, int> line_col(std::string_view text, std::uint32_t offset) {
  int line = 1, col = 1;
  for (std::uint32_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      col = 1;
    } else {
      ++col;
    }
  }
  return {line, col};
}

inline std::string_view slice(std::string_view text, Span span) { return text.substr(span.begin, span.size()); }

// decl.fields[i], or an exception (a failed test, not a crash) when there is none.
inline const Field& field_at(const Decl& decl, std::size_t i) {
  if (i >= decl.fields.size()) throw std::out_of_range("the declaration has no field " + std::to_string(i));
  return decl.fields[i];
}

// The value of the only field of the only declaration of `kpi x { f: VALUE }`.
// The text lives on the heap so the tree's views survive moving the result.
struct OneValue {
  std::unique_ptr<std::string> text;
  SyntaxTree tree;
  const Value& value() const { return field_at(tree.decls.at(0), 0).value; }
};

inline OneValue parse_value(const std::string& value) {
  OneValue r;
  r.text = std::make_unique<std::string>("kpi x {\n  f: " + value + "\n}\n");
  r.tree = parse(*r.text);
  return r;
}

}  // namespace kpilint::syntax::test
