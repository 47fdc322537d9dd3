#pragma once
// Helpers for the formatter tests: a span-free dump of what a file means, and
// the two properties every formatted text must have.
#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include <catch2/catch.hpp>

#include "format/format.hpp"
#include "syntax/tree.hpp"

namespace kpilint::format::test {

inline void dump_value(const syntax::Value& v, std::string& out) {
  using syntax::ValueKind;
  switch (v.kind) {
    case ValueKind::Missing: out += "-"; return;
    case ValueKind::String: out += "S\""; out += v.text(); out += '"'; return;
    case ValueKind::Number: out += "N:"; out += v.text(); return;
    case ValueKind::Date: out += "D:"; out += v.text(); return;
    case ValueKind::Quarter: out += "Q:"; out += v.text(); return;
    case ValueKind::Word: out += "W:"; out += v.text(); return;
    case ValueKind::AtRef: out += "@"; out += v.text(); return;
    case ValueKind::Words:
    case ValueKind::List:
      out += v.kind == ValueKind::Words ? "Ws(" : "L(";
      for (const auto& item : v.items()) {
        dump_value(item, out);
        out += ',';
      }
      out += ')';
      return;
    case ValueKind::Target:
      out += "T(";
      out += syntax::to_string(v.target()->comparator);
      for (const syntax::Value* part : {&v.target()->value, &v.target()->unit, &v.target()->deadline, &v.target()->variance,
                                        &v.target()->variance_unit}) {
        out += ' ';
        dump_value(*part, out);
      }
      out += ')';
      return;
  }
}

// Declarations, fields and values without spans, then the comments' texts
// (sorted: a formatter may move a second header comment into the body).
inline std::string dump(std::string_view text, const syntax::SyntaxTree& tree) {
  std::string out;
  for (const auto& decl : tree.decls) {
    out += syntax::keyword(decl.kind);
    out += ' ';
    out += decl.name();
    out += decl.has_error ? " !\n" : "\n";
    for (const auto& field : decl.fields) {
      out += "  ";
      out += field.name();
      out += " = ";
      dump_value(field.value, out);
      out += '\n';
    }
  }
  std::vector<std::string> comments;
  for (const auto& comment : tree.comments) {
    std::string_view t = text.substr(comment.span.begin, comment.span.size());
    while (!t.empty() && (t.back() == ' ' || t.back() == '\t' || t.back() == '\r')) t.remove_suffix(1);
    comments.emplace_back(t);
  }
  std::sort(comments.begin(), comments.end());
  for (const auto& c : comments) out += "# " + c + "\n";
  return out;
}

// Formats `text` and checks: no syntax errors after, the same meaning, and
// formatting again changes nothing. Returns the formatted text.
inline std::string check_properties(std::string_view text) {
  const FormatResult first = format_text(text);
  if (!first.ok) {
    CHECK(first.output == text);
    return first.output;
  }
  const syntax::SyntaxTree before = syntax::parse(text);
  const syntax::SyntaxTree after = syntax::parse(first.output);
  INFO("formatted:\n" << first.output);
  REQUIRE(after.errors.empty());
  CHECK(dump(first.output, after) == dump(text, before));
  const FormatResult second = format_text(first.output);
  REQUIRE(second.ok);
  CHECK(second.output == first.output);
  return first.output;
}

}  // namespace kpilint::format::test
