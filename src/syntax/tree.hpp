#pragma once
// The parse tree of one .kpi file: declarations, fields and values exactly as
// written, with byte spans. Names and words are string_views into the source
// text, so the tree must not outlive its SourceFile. Nothing here is PEGTL.
#include <cassert>
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

// One value as written. A million-line workspace holds well over a million
// of them (five in every target), so a Value is 32 bytes: what only one
// kind has (a number, a date, list items, a target) shares one slot, read
// through accessors that answer "none" for the other kinds, and the text is
// a pointer and a size rather than a string_view (every 8 bytes here is
// 8 MiB of fresh memory on such a workspace).
//
// A value the parser makes is anchored in its source: its text pointer is
// the source at `span.begin` (one byte on for a String or an AtRef), even
// where its text is empty (a List, a Target's absent part) or decoded
// elsewhere (a String with escapes). source_at() reads the source around it
// from there: a Field's name, for one.
struct Value {
  Span span;
  ValueKind kind = ValueKind::Missing;
  bool percent = false;  // Number written with '%'

 private:
  // What the slot holds; kept apart from `kind`, so ownership never depends
  // on how a value is classified.
  enum class Payload : std::uint8_t { None, Number, Calendar, Items, Target, Decoded };
  Payload payload_ = Payload::None;
  std::uint32_t text_size_ = 0;
  const char* text_data_ = nullptr;

 public:
  Value() noexcept {}
  Value(Value&& other) noexcept : Value() { take(other); }
  Value& operator=(Value&& other) noexcept {
    if (this != &other) {
      release();
      take(other);
    }
    return *this;
  }
  Value(const Value&) = delete;
  Value& operator=(const Value&) = delete;
  ~Value() { free_slot(); }

  // The text: a String's decoded contents, an AtRef's name without '@',
  // otherwise the value as written. It views the source (or the tree's
  // decoded strings), so it lives as long as they do.
  std::string_view text() const {
    return payload_ == Payload::Decoded ? std::string_view(*slot_.decoded) : std::string_view(text_data_, text_size_);
  }
  void set_text(std::string_view text) {
    text_data_ = text.data();
    text_size_ = static_cast<std::uint32_t>(text.size());  // a source is under 4 GiB (Span is 32-bit)
  }
  // A String with escapes: `raw` is the source between the quotes (the
  // anchor), `decoded` its text (kept alive by the tree).
  void set_decoded(std::string_view raw, const std::string& decoded) {
    release();
    set_text(raw);
    payload_ = Payload::Decoded;
    slot_.decoded = &decoded;
  }

  // The source text at `at`, for a value anchored in that source (see above).
  std::string_view source_at(Span at) const {
    const std::uint32_t anchor = span.begin + (kind == ValueKind::String || kind == ValueKind::AtRef ? 1 : 0);
    return {text_data_ - anchor + at.begin, at.size()};
  }

  // Number: suffixes applied (4.5M -> 4500000, 18% -> 18); 0 for any other value.
  double number() const { return payload_ == Payload::Number ? slot_.number : 0; }
  void set_number(double number) {
    release();
    payload_ = Payload::Number;
    slot_.number = number;
  }
  // Date: year, month, day; Quarter: year, quarter (as written, not
  // validated: 2026-02-30 and 2026-Q7 parse). 0 for any other value.
  std::uint16_t year() const { return payload_ == Payload::Calendar ? slot_.calendar.year : 0; }
  std::uint8_t month() const { return payload_ == Payload::Calendar && kind == ValueKind::Date ? slot_.calendar.part : 0; }
  std::uint8_t day() const { return payload_ == Payload::Calendar ? slot_.calendar.day : 0; }
  std::uint8_t quarter() const {
    return payload_ == Payload::Calendar && kind == ValueKind::Quarter ? slot_.calendar.part : 0;
  }
  void set_date(std::uint16_t year, std::uint8_t month, std::uint8_t day) { set_calendar({year, month, day}); }
  void set_quarter(std::uint16_t year, std::uint8_t quarter) { set_calendar({year, quarter, 0}); }
  // List, Words: the items; none for any other value.
  std::span<const Value> items() const;
  std::span<Value> items();
  std::vector<Value>& item_list();  // the items to fill (made on first use)
  // Target: its parts; nullptr for any other value.
  const Target* target() const { return payload_ == Payload::Target ? slot_.target : nullptr; }
  Target* target() { return payload_ == Payload::Target ? slot_.target : nullptr; }
  void set_target(TargetPtr target) {
    release();
    payload_ = Payload::Target;
    slot_.target = target.release();
  }

 private:
  struct Calendar {
    std::uint16_t year;
    std::uint8_t part;  // Date: the month; Quarter: the quarter
    std::uint8_t day;   // Date
  };
  void set_calendar(Calendar calendar) {
    release();
    payload_ = Payload::Calendar;
    slot_.calendar = calendar;
  }
  void free_slot() noexcept;  // what the slot owns; the slot itself is left as it was
  void release() noexcept;    // frees the slot and empties it
  void take(Value& other) noexcept;
  union Slot {
    double number;
    Calendar calendar;
    std::vector<Value>* items;  // owned
    Target* target;             // owned (see TargetDeleter)
    const std::string* decoded; // not owned: the tree's decoded_strings
  } slot_{};
};

static_assert(sizeof(void*) != 8 || sizeof(Value) == 32, "a Value is in every field and five in every target");

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

inline std::span<const Value> Value::items() const {
  if (payload_ != Payload::Items) return {};
  return {slot_.items->data(), slot_.items->size()};
}
inline std::span<Value> Value::items() {
  if (payload_ != Payload::Items) return {};
  return {slot_.items->data(), slot_.items->size()};
}
inline std::vector<Value>& Value::item_list() {
  if (payload_ != Payload::Items) {
    release();
    slot_.items = new std::vector<Value>();
    payload_ = Payload::Items;
  }
  return *slot_.items;
}
inline void Value::free_slot() noexcept {
  if (payload_ == Payload::Items) {
    delete slot_.items;
  } else if (payload_ == Payload::Target) {
    TargetDeleter()(slot_.target);
  }
}
inline void Value::release() noexcept {
  free_slot();
  payload_ = Payload::None;
  slot_.number = 0;
}
inline void Value::take(Value& other) noexcept {
  span = other.span;
  kind = other.kind;
  percent = other.percent;
  text_size_ = other.text_size_;
  text_data_ = other.text_data_;
  payload_ = other.payload_;
  slot_ = other.slot_;
  if (other.payload_ != Payload::Decoded) other.payload_ = Payload::None;  // the other keeps its kind and text, but owns nothing now
}

// A field as written: 40 bytes, as a million-line workspace has about a
// million. The name is the source text at `name_span`, found from where the
// value is anchored in the same source: nothing of it is kept.
struct Field {
  Field([[maybe_unused]] std::string_view name, Span name_span_in, Value&& value_in) noexcept
      : name_span(name_span_in), value(std::move(value_in)) {
    assert(this->name().data() == name.data() && this->name().size() == name.size() &&
           "the name is the source text at name_span, and the value is anchored in that source");
  }

  std::string_view name() const { return value.source_at(name_span); }
  Span span() const { return {name_span.begin, value.span.end}; }  // from the name to the end of the value

  Span name_span;
  Value value;
};

static_assert(sizeof(void*) != 8 || sizeof(Field) == 40);

// A declaration as written: 56 bytes (a million-line workspace has over
// 100,000). Like a field's, its name is the source at `name_span`.
struct Decl {
  DeclKind kind = DeclKind::Kpi;
  bool has_error = false;  // a syntax error inside: the header parsed, the body may be partial
  Span keyword_span;
  Span name_span;
  Span span;  // from the keyword to the closing brace (or where recovery stopped)

 private:
  const char* name_data_ = nullptr;

 public:
  std::span<const Field> fields;  // a view into the tree's `fields`

  // For `use`: the dotted module path, "std.marketing".
  std::string_view name() const { return {name_data_, name_span.size()}; }
  // The name and where it is: `name` is the source text at `span_of_name`.
  void set_name(std::string_view name, Span span_of_name) {
    assert(name.size() == span_of_name.size() && "the name is the source text at its span");
    name_data_ = name.data();
    name_span = span_of_name;
  }
};

static_assert(sizeof(void*) != 8 || sizeof(Decl) == 56);

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
  std::size_t uses = 0;  // how many of `decls` are `use` (every other one is an entity)
  std::vector<Comment> comments;
  std::vector<SyntaxError> errors;
  std::deque<std::string> decoded_strings;  // owns the text of strings that had escapes
};

// Parses one file. Never throws on bad input: syntax errors are collected in
// `errors` (capped per file) and parsing recovers at the next declaration.
// With an arena, the bulk of the tree lives there (it must outlive the tree).
SyntaxTree parse(std::string_view text, Arena* arena = nullptr);

}  // namespace kpilint::syntax
