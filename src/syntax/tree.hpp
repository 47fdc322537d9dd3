#pragma once
// The parse tree of one .kpi file: declarations, fields and values exactly as
// written, with byte spans. Names and words are string_views into the source
// text, so the tree must not outlive its SourceFile. Nothing here is PEGTL.
#include <cstdint>
#include <deque>
#include <memory>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "base/arena.hpp"
#include "base/span.hpp"

namespace kpilint::syntax {

enum class DeclKind : unsigned char { Use, Person, Team, Objective, Kpi, Metric, Experiment };
inline constexpr int kDeclKindCount = 7;

std::string_view keyword(DeclKind kind);  // "kpi", "person", ...

enum class ValueKind : unsigned char {
  Missing,  // no value (an absent optional part of a target)
  String,   // "…"            text: the decoded contents
  Number,   // 1_200_000 18% 4.5M   number, percent; text: as written
  Date,     // 2026-12-31     year, month, day (not validated: 2026-02-30 parses)
  Quarter,  // 2026-Q4        year, quarter (not validated: 2026-Q7 parses)
  Word,     // an identifier: an enum word, a boolean, a unit or a reference
  AtRef,    // @name          text: the name without '@'; span includes '@'
  Words,    // two or more words in a row (`avg monthly`); items are the Words
  List,     // [a, b]         items
  Target,   // >= 18% by 2026-12-31 ± 1%   target
};

enum class Comparator : unsigned char { Ge, Le, Gt, Lt, Eq };
std::string_view to_string(Comparator comparator);

struct Target;
struct Value;

// Deletes a Target made on the heap; one made in an arena is only destroyed
// (the arena frees its memory).
struct TargetDeleter {
  void operator()(Target* target) const noexcept;
};
using TargetPtr = std::unique_ptr<Target, TargetDeleter>;

// The items of a List or Words value. Almost every value has none, so the
// vector lives behind a pointer: 8 bytes in each of a workspace's million
// Values instead of 24. The interface is the part of std::vector in use.
class ValueList {
 public:
  using value_type = Value;
  ValueList() = default;
  ValueList(ValueList&&) noexcept = default;
  ValueList& operator=(ValueList&&) noexcept = default;
  ~ValueList();

  std::size_t size() const;
  bool empty() const { return size() == 0; }
  const Value& operator[](std::size_t i) const;
  Value& operator[](std::size_t i);
  const Value& at(std::size_t i) const;
  const Value* begin() const;
  const Value* end() const;
  Value* begin();
  Value* end();
  void push_back(Value&& value);
  void reserve(std::size_t n);

 private:
  std::vector<Value>& items();
  std::unique_ptr<std::vector<Value>> items_;
};

// Members are ordered so the small ones pack together: a million-line
// workspace holds about a million Values.
struct Value {
  Span span;
  ValueKind kind = ValueKind::Missing;
  bool percent = false;       // Number written with '%'
  std::uint8_t month = 0;     // Date
  std::uint8_t day = 0;       // Date
  std::uint8_t quarter = 0;   // Quarter
  std::uint16_t year = 0;     // Date, Quarter
  std::string_view text;
  double number = 0;          // Number, suffixes applied: 4.5M -> 4500000, 18% -> 18
  ValueList items;            // List, Words
  TargetPtr target;
};

struct Target {
  Comparator comparator = Comparator::Ge;
  bool in_arena = false;  // for TargetDeleter
  Span comparator_span;
  Value value;          // Number when measurable; a Word or String otherwise
  Value unit;           // Word, or Missing
  Value deadline;       // Date or Quarter after `by`, or Missing
  Value variance;       // Number after `±` / `+-`, or Missing
  Value variance_unit;  // Word, or Missing
};

inline void TargetDeleter::operator()(Target* target) const noexcept {
  if (target->in_arena) {
    target->~Target();
  } else {
    delete target;
  }
}

inline ValueList::~ValueList() = default;
inline std::size_t ValueList::size() const { return items_ ? items_->size() : 0; }
inline const Value& ValueList::operator[](std::size_t i) const { return (*items_)[i]; }
inline Value& ValueList::operator[](std::size_t i) { return (*items_)[i]; }
inline const Value& ValueList::at(std::size_t i) const {
  if (!items_) throw std::out_of_range("ValueList::at");
  return items_->at(i);
}
inline const Value* ValueList::begin() const { return items_ ? items_->data() : nullptr; }
inline const Value* ValueList::end() const { return items_ ? items_->data() + items_->size() : nullptr; }
inline Value* ValueList::begin() { return items_ ? items_->data() : nullptr; }
inline Value* ValueList::end() { return items_ ? items_->data() + items_->size() : nullptr; }
inline std::vector<Value>& ValueList::items() {
  if (!items_) items_ = std::make_unique<std::vector<Value>>();
  return *items_;
}
inline void ValueList::push_back(Value&& value) { items().push_back(std::move(value)); }
inline void ValueList::reserve(std::size_t n) { items().reserve(n); }

struct Field {
  std::string_view name;
  Span name_span;
  Value value;
  Span span;  // from the name to the end of the value
};

struct Decl {
  DeclKind kind = DeclKind::Kpi;
  Span keyword_span;
  std::string_view name;  // for `use`: the dotted module path, "std.marketing"
  Span name_span;
  Span span;              // from the keyword to the closing brace (or where recovery stopped)
  std::span<const Field> fields;  // a view into the tree's `fields`
  bool has_error = false;  // a syntax error inside: the header parsed, the body may be partial
};

struct Comment {
  Span span;  // from '#' to the end of the line, without the line break
};

struct SyntaxError {
  Span span;  // the first token that could not be parsed
  std::string message;
};

struct SyntaxTree {
  SyntaxTree() = default;
  explicit SyntaxTree(Arena* arena) : decls(ArenaAllocator<Decl>(arena)), fields(ArenaAllocator<Field>(arena)) {}
  // Move-only: the declarations view into `fields`, which a move carries
  // along and a copy would not.
  SyntaxTree(SyntaxTree&&) noexcept = default;
  SyntaxTree& operator=(SyntaxTree&&) noexcept = default;
  SyntaxTree(const SyntaxTree&) = delete;
  SyntaxTree& operator=(const SyntaxTree&) = delete;

  // The declarations, and every declaration's fields in order in one array:
  // one allocation each per file (in the workspace's arena when it has one),
  // and a rule pass over the entities reads memory front to back.
  std::vector<Decl, ArenaAllocator<Decl>> decls;
  std::vector<Field, ArenaAllocator<Field>> fields;
  std::vector<Comment> comments;
  std::vector<SyntaxError> errors;
  std::deque<std::string> decoded_strings;  // owns the text of strings that had escapes
};

// Parses one file. Never throws on bad input: syntax errors are collected in
// `errors` (capped per file) and parsing recovers at the next declaration.
// With an arena, the bulk of the tree lives there (it must outlive the tree).
SyntaxTree parse(std::string_view text, Arena* arena = nullptr);

}  // namespace kpilint::syntax
