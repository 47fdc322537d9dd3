// The syntax stage: runs the PEGTL grammar of grammar.hpp over one text and
// builds the SyntaxTree of tree.hpp. Error messages and recovery live here:
// every `must<R>` of the grammar that fails records error_message<R> at the
// first token that could not be parsed, the declaration is abandoned (the
// grammar's try_catch), and `skip_to_sync` resumes at the next declaration.
#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <iterator>
#include <exception>
#include <limits>
#include <new>
#include <string>
#include <utility>

#include "base/i18n.hpp"
#include "syntax/grammar.hpp"
#include "syntax/tree.hpp"

namespace kpilint::syntax {

std::string_view keyword(DeclKind kind) {
  switch (kind) {
    case DeclKind::Use: return "use";
    case DeclKind::Person: return "person";
    case DeclKind::Team: return "team";
    case DeclKind::Objective: return "objective";
    case DeclKind::Kpi: return "kpi";
    case DeclKind::Metric: return "metric";
    case DeclKind::Experiment: return "experiment";
  }
  return "?";
}

std::string_view to_string(Comparator comparator) {
  switch (comparator) {
    case Comparator::Ge: return ">=";
    case Comparator::Le: return "<=";
    case Comparator::Gt: return ">";
    case Comparator::Lt: return "<";
    case Comparator::Eq: return "=";
  }
  return "?";
}

namespace {

namespace p = tao::pegtl;
namespace g = grammar;

constexpr std::size_t kMaxErrors = 100;
constexpr std::size_t kMaxListDepth = 64;

using Input = p::memory_input<p::tracking_mode::lazy, p::eol::lf_crlf, const char*>;

// Thrown when the error cap is reached: not a parse_error, so no try_catch
// stops it and parse() ends.
struct StopParsing {};

bool is_ident(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

// Length of the valid UTF-8 sequence at text[pos] (the rules of PEGTL's utf8
// rules: no overlongs, no surrogates, at most U+10FFFF), or 0 when invalid.
std::size_t utf8_length(std::string_view text, std::size_t pos) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[pos + k]); };
  const auto cont = [&](std::size_t k) { return pos + k < text.size() && (byte(k) & 0xC0) == 0x80; };
  const unsigned char c0 = byte(0);
  if (c0 < 0x80) return 1;
  if ((c0 & 0xE0) == 0xC0) return cont(1) && c0 >= 0xC2 ? 2 : 0;
  if ((c0 & 0xF0) == 0xE0) {
    if (!cont(1) || !cont(2)) return 0;
    const unsigned cp = ((c0 & 0x0Fu) << 12) | ((byte(1) & 0x3Fu) << 6) | (byte(2) & 0x3Fu);
    return cp >= 0x800 && (cp < 0xD800 || cp > 0xDFFF) ? 3 : 0;
  }
  if ((c0 & 0xF8) == 0xF0) {
    if (!cont(1) || !cont(2) || !cont(3)) return 0;
    const unsigned cp = ((c0 & 0x07u) << 18) | ((byte(1) & 0x3Fu) << 12) | ((byte(2) & 0x3Fu) << 6) | (byte(3) & 0x3Fu);
    return cp >= 0x10000 && cp <= 0x10FFFF ? 4 : 0;
  }
  return 0;
}

void append_utf8(std::string& out, std::uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

std::uint32_t parse_hex(std::string_view digits) {
  std::uint32_t cp = 0;
  for (const char c : digits) {
    const std::uint32_t d = c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
    cp = cp * 16 + d;
  }
  return cp;
}

unsigned digits_value(const char* at, int count) {
  unsigned v = 0;
  for (int i = 0; i < count; ++i) v = v * 10 + static_cast<unsigned>(at[i] - '0');
  return v;
}

// Buffers a thread reuses from file to file while it parses: what a tree
// holds is gathered here, then copied to the tree at its exact size (no
// array grown by doubling in every file of a large workspace).
struct FieldRange {
  std::size_t decl, begin, size;
};
struct Scratch {
  std::vector<Field> fields;
  std::vector<Decl> decls;
  std::vector<FieldRange> field_ranges;
  void clear() {
    fields.clear();
    decls.clear();
    field_ranges.clear();
  }
};

// Everything the actions and the control share while one text is parsed.
struct State {
  State(std::string_view source, SyntaxTree& out, Scratch& scratch)
      : text(source), tree(out), all_fields(scratch.fields), decls(scratch.decls), field_ranges(scratch.field_ranges) {}

  std::string_view text;
  SyntaxTree& tree;

  // The declaration being parsed; pushed when its body closes, or by
  // skip_to_sync (with has_error) when it broke after its header.
  Decl decl;
  // The fields parsed so far: the committed declarations' (the first
  // `committed_fields`), then the current one's. A buffer reused from file
  // to file; finish() moves them to the tree at the exact size.
  std::vector<Field>& all_fields;
  std::size_t committed_fields = 0;
  std::vector<Decl>& decls;                // the committed declarations, in order
  std::vector<FieldRange>& field_ranges;  // per committed block declaration: its fields in all_fields
  bool in_decl = false;
  DeclKind kind = DeclKind::Kpi;
  Span keyword_span;

  std::string_view field_name;
  std::uint32_t field_end = 0;  // end of the last complete field's value
  bool have_field = false;

  std::vector<Value> values;  // finished values not yet owned by a field, list or target
  std::vector<std::size_t> list_marks;
  // The target being parsed, made where it will stay (the tree's arena, or
  // the heap), so its parts are written once; the target action hands it to
  // its Value. One left over from a target that raised is released on reuse.
  TargetPtr target;
  void begin_target() {
    if (Arena* arena = tree.fields.get_allocator().arena) {
      Target* made = new (arena->allocate(sizeof(Target), alignof(Target))) Target();
      made->in_arena = true;
      target.reset(made);
    } else {
      target.reset(new Target());
    }
  }
  std::uint32_t string_begin = 0;
  bool reported_comment_utf8 = false;

  std::uint32_t offset(const char* at) const { return static_cast<std::uint32_t>(at - text.data()); }

  template <typename ActionInput>
  Span span_of(const ActionInput& in) const {
    return {offset(in.begin()), offset(in.end())};
  }

  // Hands the finished declaration to the tree; finish() points it at its
  // fields.
  void commit_decl() {
    field_ranges.push_back({decls.size(), committed_fields, all_fields.size() - committed_fields});
    committed_fields = all_fields.size();
    decls.push_back(std::move(decl));
    decl = Decl{};
    in_decl = false;
  }

  // Drops the fields of a declaration that was never committed.
  void drop_uncommitted_fields() { all_fields.erase(all_fields.begin() + static_cast<std::ptrdiff_t>(committed_fields), all_fields.end()); }

  void finish() {
    drop_uncommitted_fields();
    tree.fields.reserve(all_fields.size());
    tree.fields.insert(tree.fields.end(), std::make_move_iterator(all_fields.begin()), std::make_move_iterator(all_fields.end()));
    all_fields.clear();
    tree.decls.reserve(decls.size());
    tree.decls.insert(tree.decls.end(), std::make_move_iterator(decls.begin()), std::make_move_iterator(decls.end()));
    decls.clear();
    for (const FieldRange& range : field_ranges) {
      tree.decls[range.decl].fields = std::span<const Field>(tree.fields).subspan(range.begin, range.size);
    }
  }

  void reset_values() {
    values.clear();
    list_marks.clear();
    have_field = false;
    field_name = {};
  }

  void record(Span span, std::string message) {
    if (tree.errors.size() >= kMaxErrors) throw StopParsing{};
    tree.errors.push_back({span, std::move(message)});
    if (in_decl) decl.has_error = true;
  }

  // Records an error and abandons the declaration.
  [[noreturn]] void fail(Span span, std::string message) {
    record(span, message);
    throw p::parse_error(message, p::position(span.begin, 1, 1, std::string()));
  }

  Value pop_value() {
    if (values.empty()) return {};  // cannot happen with the grammar; keep the tree sane
    Value v = std::move(values.back());
    values.pop_back();
    return v;
  }

  // ---- what the errors point at

  std::uint32_t size() const { return static_cast<std::uint32_t>(text.size()); }

  // The token starting at `pos`: an identifier or number-like run, a string
  // up to its end, one character, or an empty span at a line end or EOF.
  Span token_at(std::uint32_t pos) const {
    if (pos >= size()) return {size(), size()};
    const char c = text[pos];
    std::uint32_t end = pos;
    if (c == '\n' || c == '\r') return {pos, pos};
    if (is_ident(c) || (c == '-' && pos + 1 < size() && text[pos + 1] >= '0' && text[pos + 1] <= '9')) {
      const bool numeric = !(is_ident(c) && !(c >= '0' && c <= '9'));
      ++end;
      while (end < size() && (is_ident(text[end]) || (numeric && (text[end] == '.' || text[end] == '%' || text[end] == '-')))) ++end;
      return {pos, end};
    }
    if (c == '"') {
      end = pos + 1;
      while (end < size() && text[end] != '"' && text[end] != '\n' && text[end] != '\r') end += text[end] == '\\' && end + 1 < size() && text[end + 1] != '\n' ? 2 : 1;
      if (end < size() && text[end] == '"') ++end;
      return {pos, end};
    }
    const std::size_t n = utf8_length(text, pos);
    return {pos, pos + static_cast<std::uint32_t>(n == 0 ? 1 : n)};
  }

  // The number-, date- or quarter-like run around `pos` (for `12abc`).
  Span literal_around(std::uint32_t pos) const {
    const auto part = [](char c) { return is_ident(c) || c == '.' || c == '%' || c == '-'; };
    std::uint32_t begin = pos;
    while (begin > 0 && part(text[begin - 1])) --begin;
    std::uint32_t end = pos;
    while (end < size() && part(text[end])) ++end;
    return {begin, end};
  }

  std::uint32_t line_end(std::uint32_t pos) const {
    while (pos < size() && text[pos] != '\n' && !(text[pos] == '\r' && pos + 1 < size() && text[pos + 1] == '\n')) ++pos;
    return pos;
  }

  std::string quoted(Span span) const {
    std::string_view t = text.substr(span.begin, span.size());
    const bool cut = t.size() > 40;
    if (cut) {
      std::size_t n = 40;
      while (n > 0 && (static_cast<unsigned char>(t[n]) & 0xC0) == 0x80) --n;  // keep whole characters
      t = t.substr(0, n);
    }
    std::string out;  // appended piecewise: GCC 12 warns (-Wrestrict) on a chain of `+`
    out.reserve(t.size() + 5);
    out += '`';
    out.append(t.data(), t.size());
    out += cut ? "…`" : "`";
    return out;
  }
};

// ---------------------------------------------------------------- values

// Values are filled where they will stay (the value stack, a target), not
// built and moved: a million-line workspace has about a million of them.
void set_word(Value& v, Span span, std::string_view text) {
  v.kind = ValueKind::Word;
  v.span = span;
  v.set_text(text);
}

void set_number(Value& v, Span span, std::string_view text) {
  v.kind = ValueKind::Number;
  v.span = span;
  v.set_text(text);
  double scale = 1;
  std::string_view digits = text;
  switch (digits.back()) {
    case '%': v.percent = true; digits.remove_suffix(1); break;
    case 'k': scale = 1e3; digits.remove_suffix(1); break;
    case 'M': scale = 1e6; digits.remove_suffix(1); break;
    case 'B': scale = 1e9; digits.remove_suffix(1); break;
    default: break;
  }
  // Drop the `_` separators; a stack buffer for every number a person writes.
  char small[128];
  std::string large;
  char* out = small;
  if (digits.size() > sizeof small) {
    large.resize(digits.size());
    out = large.data();
  }
  std::size_t n = 0;
  for (const char c : digits) {
    if (c != '_') out[n++] = c;
  }
  double value = 0;
  const auto [ptr, ec] = std::from_chars(out, out + n, value);
  if (ec == std::errc::result_out_of_range) {
    value = out[0] == '-' ? -std::numeric_limits<double>::infinity() : std::numeric_limits<double>::infinity();
  }
  (void)ptr;
  v.set_number(value * scale);
}

// ---------------------------------------------------------------- actions

template <typename Rule>
struct action : p::nothing<Rule> {};

template <>
struct action<g::comment> {
  template <typename ActionInput>
  static void apply(const ActionInput& in, State& st) {
    const Span span = st.span_of(in);
    // Skipping after an error re-reads text already parsed: keep each comment once.
    auto& comments = st.tree.comments;
    if (!comments.empty() && comments.back().span.begin >= span.begin) return;
    comments.push_back({span});
    for (std::uint32_t i = span.begin; i < span.end;) {
      const std::size_t n = utf8_length(st.text, i);
      if (n == 0 || st.text[i] == '\0') {
        if (!st.reported_comment_utf8) {
          st.reported_comment_utf8 = true;
          const bool nul = st.text[i] == '\0';
          const bool had = st.in_decl && st.decl.has_error;
          st.record({i, i + 1}, std::string(i18n::text(nul ? "syntax.nul-in-comment" : "syntax.bad-utf8-in-comment")));
          if (st.in_decl) st.decl.has_error = had;  // the declaration itself is fine
        }
        return;
      }
      i += static_cast<std::uint32_t>(n);
    }
  }
};

template <>
struct action<g::decl_keyword> {
  template <typename ActionInput>
  static void apply(const ActionInput& in, State& st) {
    const std::string_view k(in.begin(), in.size());
    st.kind = k == "person" ? DeclKind::Person
            : k == "team" ? DeclKind::Team
            : k == "objective" ? DeclKind::Objective
            : k == "kpi" ? DeclKind::Kpi
            : k == "metric" ? DeclKind::Metric
                            : DeclKind::Experiment;
    st.keyword_span = st.span_of(in);
  }
};

template <>
struct action<g::kw_use> {
  template <typename ActionInput>
  static void apply(const ActionInput& in, State& st) {
    st.kind = DeclKind::Use;
    st.keyword_span = st.span_of(in);
  }
};

template <>
struct action<g::module_path> {
  template <typename ActionInput>
  static void apply(const ActionInput& in, State& st) {
    Decl d;
    d.kind = DeclKind::Use;
    d.keyword_span = st.keyword_span;
    d.set_name(std::string_view(in.begin(), in.size()), st.span_of(in));
    d.span = {st.keyword_span.begin, d.name_span.end};
    st.decls.push_back(std::move(d));
    ++st.tree.uses;
  }
};

template <>
struct action<g::decl_name> {
  template <typename ActionInput>
  static void apply(const ActionInput& in, State& st) {
    st.decl = Decl{};
    st.drop_uncommitted_fields();
    st.decl.kind = st.kind;
    st.decl.keyword_span = st.keyword_span;
    st.decl.set_name(std::string_view(in.begin(), in.size()), st.span_of(in));
    st.in_decl = true;
    st.reset_values();
  }
};

template <>
struct action<g::block_decl> {
  template <typename ActionInput>
  static void apply(const ActionInput& in, State& st) {
    st.decl.span = {st.keyword_span.begin, st.offset(in.end())};
    st.commit_decl();
  }
};

template <>
struct action<g::skip_to_sync> {
  template <typename ActionInput>
  static void apply(const ActionInput& in, State& st) {
    if (st.in_decl) {
      st.decl.has_error = true;
      std::uint32_t end = st.offset(in.end());
      while (end > st.decl.name_span.end && std::string_view(" \t\r\n").find(st.text[end - 1]) != std::string_view::npos) --end;
      st.decl.span = {st.decl.keyword_span.begin, end};
      st.commit_decl();
    }
    st.reset_values();
  }
};

template <>
struct action<g::field_name> {
  template <typename ActionInput>
  static void apply(const ActionInput& in, State& st) {
    st.field_name = std::string_view(in.begin(), in.size());
  }
};

template <>
struct action<g::field> {
  template <typename ActionInput>
  static void apply(const ActionInput& in, State& st) {
    // Every member given, none zeroed first: a default-made Field was an
    // 88-byte `rep stos`, slow to start, a million times.
    const std::uint32_t begin = st.offset(in.begin());
    const Span name_span{begin, begin + static_cast<std::uint32_t>(st.field_name.size())};
    const Span span = st.span_of(in);
    if (st.values.empty()) {  // not reached: every value pushes one
      Value missing;
      missing.span = {span.end, span.end};
      missing.set_text({in.end(), 0});  // anchored where it would be
      st.all_fields.emplace_back(st.field_name, name_span, std::move(missing));
    } else {
      st.all_fields.emplace_back(st.field_name, name_span, std::move(st.values.back()));
      st.values.pop_back();
    }
    st.field_end = span.end;
    st.have_field = true;
    st.values.clear();
  }
};

template <>
struct action<g::string_open> {
  template <typename ActionInput>
  static void apply(const ActionInput& in, State& st) {
    st.string_begin = st.offset(in.begin());
  }
};

template <>
struct action<g::unicode_hex> {
  template <typename ActionInput>
  static void apply(const ActionInput& in, State& st) {
    const std::string_view t(in.begin(), in.size());
    const std::uint32_t cp = parse_hex(t.substr(1, t.size() - 2));
    if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
      const Span span = st.span_of(in);
      st.fail({span.begin - 2, span.end}, i18n::format("syntax.not-a-scalar-value",
                                                       i18n::arg("token", st.quoted({span.begin - 2, span.end}))));
    }
    if (cp == 0) {
      const Span span = st.span_of(in);
      st.fail({span.begin - 2, span.end}, std::string(i18n::text("syntax.nul-character-in-string")));
    }
  }
};

template <>
struct action<g::string> {
  template <typename ActionInput>
  static void apply(const ActionInput& in, State& st) {
    Value& v = st.values.emplace_back();
    v.kind = ValueKind::String;
    v.span = st.span_of(in);
    const std::string_view raw(in.begin() + 1, in.size() - 2);
    if (raw.find('\\') == std::string_view::npos) {
      v.set_text(raw);
    } else {
      std::string out;
      out.reserve(raw.size());
      for (std::size_t i = 0; i < raw.size(); ++i) {
        if (raw[i] != '\\') {
          out += raw[i];
          continue;
        }
        const char e = raw[++i];
        switch (e) {
          case 'n': out += '\n'; break;
          case 't': out += '\t'; break;
          case 'u': {
            const std::size_t close = raw.find('}', i);
            append_utf8(out, parse_hex(raw.substr(i + 2, close - i - 2)));
            i = close;
            break;
          }
          default: out += e; break;  // \" and \\ (the grammar allows nothing else)
        }
      }
      v.set_decoded(raw, st.tree.decoded_strings.emplace_back(std::move(out)));
    }
  }
};

template <>
struct action<g::number> {
  template <typename ActionInput>
  static void apply(const ActionInput& in, State& st) {
    set_number(st.values.emplace_back(), st.span_of(in), std::string_view(in.begin(), in.size()));
  }
};

template <>
struct action<g::date> {
  template <typename ActionInput>
  static void apply(const ActionInput& in, State& st) {
    Value& v = st.values.emplace_back();
    v.kind = ValueKind::Date;
    v.span = st.span_of(in);
    v.set_text(std::string_view(in.begin(), in.size()));
    v.set_date(static_cast<std::uint16_t>(digits_value(in.begin(), 4)),
               static_cast<std::uint8_t>(digits_value(in.begin() + 5, 2)),
               static_cast<std::uint8_t>(digits_value(in.begin() + 8, 2)));
  }
};

template <>
struct action<g::quarter> {
  template <typename ActionInput>
  static void apply(const ActionInput& in, State& st) {
    Value& v = st.values.emplace_back();
    v.kind = ValueKind::Quarter;
    v.span = st.span_of(in);
    v.set_text(std::string_view(in.begin(), in.size()));
    v.set_quarter(static_cast<std::uint16_t>(digits_value(in.begin(), 4)),
                  static_cast<std::uint8_t>(digits_value(in.begin() + 6, 1)));
  }
};

template <>
struct action<g::at_ref> {
  template <typename ActionInput>
  static void apply(const ActionInput& in, State& st) {
    Value& v = st.values.emplace_back();
    v.kind = ValueKind::AtRef;
    v.span = st.span_of(in);
    v.set_text(std::string_view(in.begin() + 1, in.size() - 1));
  }
};

template <>
struct action<g::word> {
  template <typename ActionInput>
  static void apply(const ActionInput& in, State& st) {
    set_word(st.values.emplace_back(), st.span_of(in), std::string_view(in.begin(), in.size()));
  }
};

template <>
struct action<g::words> {
  template <typename ActionInput>
  static void apply(const ActionInput& in, State& st) {
    // One word (the usual `level: business`) is a Word; two or more a Words.
    const std::string_view whole(in.begin(), in.size());
    if (std::all_of(whole.begin(), whole.end(), is_ident)) {
      set_word(st.values.emplace_back(), st.span_of(in), whole);
      return;
    }
    Value& v = st.values.emplace_back();
    v.kind = ValueKind::Words;
    v.span = st.span_of(in);
    v.set_text(std::string_view(in.begin(), in.size()));
    const std::string_view t = v.text();
    for (std::size_t i = 0; i < t.size();) {
      if (!is_ident(t[i])) {
        ++i;
        continue;
      }
      std::size_t j = i;
      while (j < t.size() && is_ident(t[j])) ++j;
      const auto b = v.span.begin + static_cast<std::uint32_t>(i);
      Value item;
      set_word(item, {b, b + static_cast<std::uint32_t>(j - i)}, t.substr(i, j - i));
      v.item_list().push_back(std::move(item));
      i = j;
    }
  }
};

template <>
struct action<g::list_open> {
  template <typename ActionInput>
  static void apply(const ActionInput& in, State& st) {
    if (st.list_marks.size() >= kMaxListDepth) {
      st.fail(st.span_of(in), i18n::format("syntax.lists-too-deep", i18n::arg("max", kMaxListDepth)));
    }
    st.list_marks.push_back(st.values.size());
  }
};

template <>
struct action<g::list> {
  template <typename ActionInput>
  static void apply(const ActionInput& in, State& st) {
    Value v;
    v.kind = ValueKind::List;
    v.span = st.span_of(in);
    v.set_text({in.begin(), 0});  // no text, but anchored in the source
    const std::size_t mark = st.list_marks.empty() ? st.values.size() : st.list_marks.back();
    if (!st.list_marks.empty()) st.list_marks.pop_back();
    std::vector<Value>& items = v.item_list();
    items.reserve(st.values.size() - mark);
    std::move(st.values.begin() + static_cast<std::ptrdiff_t>(mark), st.values.end(), std::back_inserter(items));
    st.values.resize(mark);
    st.values.push_back(std::move(v));
  }
};

template <>
struct action<g::comparator> {
  template <typename ActionInput>
  static void apply(const ActionInput& in, State& st) {
    const std::string_view c(in.begin(), in.size());
    st.begin_target();
    st.target->comparator = c == ">=" ? Comparator::Ge
                         : c == "<=" ? Comparator::Le
                         : c == ">"  ? Comparator::Gt
                         : c == "<"  ? Comparator::Lt
                                     : Comparator::Eq;
    st.target->comparator_span = st.span_of(in);
  }
};

template <>
struct action<g::target_value> {
  template <typename ActionInput>
  static void apply(const ActionInput&, State& st) {
    st.target->value = st.pop_value();
  }
};

template <>
struct action<g::target_unit> {
  template <typename ActionInput>
  static void apply(const ActionInput& in, State& st) {
    set_word(st.target->unit, st.span_of(in), std::string_view(in.begin(), in.size()));
  }
};

template <>
struct action<g::deadline> {
  template <typename ActionInput>
  static void apply(const ActionInput&, State& st) {
    st.target->deadline = st.pop_value();
  }
};

template <>
struct action<g::variance_value> {
  template <typename ActionInput>
  static void apply(const ActionInput& in, State& st) {
    set_number(st.target->variance, st.span_of(in), std::string_view(in.begin(), in.size()));
  }
};

template <>
struct action<g::variance_unit> {
  template <typename ActionInput>
  static void apply(const ActionInput& in, State& st) {
    set_word(st.target->variance_unit, st.span_of(in), std::string_view(in.begin(), in.size()));
  }
};

template <>
struct action<g::target> {
  template <typename ActionInput>
  static void apply(const ActionInput& in, State& st) {
    Value& v = st.values.emplace_back();
    v.kind = ValueKind::Target;
    v.span = st.span_of(in);
    v.set_text(std::string_view(in.begin(), in.size()));
    v.set_target(std::move(st.target));  // made in place by begin_target()
  }
};

// ---------------------------------------------------------------- errors

// The message id of each rule a `must<>` can fail on. Placeholders: {kind}
// and {name} of the declaration, {field} the field name, {cmp} the
// comparator, {token} and {literal} the text at the error, quoted.
template <typename Rule>
inline constexpr const char* error_message = nullptr;

template <> inline constexpr const char* error_message<g::declaration> = "syntax.expected-declaration";
template <> inline constexpr const char* error_message<g::decl_name> = "syntax.expected-name";
template <> inline constexpr const char* error_message<g::module_path> = "syntax.expected-module-path";
template <> inline constexpr const char* error_message<g::decl_body> = "syntax.expected-open-brace";
template <> inline constexpr const char* error_message<g::body_close> = "syntax.expected-close-brace";
template <> inline constexpr const char* error_message<g::field_colon> = "syntax.expected-colon";
template <> inline constexpr const char* error_message<g::field_value> = "syntax.expected-value";
template <> inline constexpr const char* error_message<g::list_value> = "syntax.expected-list-value";
template <> inline constexpr const char* error_message<g::list_end> = "syntax.expected-list-end";
template <> inline constexpr const char* error_message<g::at_name> = "syntax.expected-at-name";
template <> inline constexpr const char* error_message<g::string_close> = "syntax.unterminated-string";
template <> inline constexpr const char* error_message<g::escape_code> = "syntax.unknown-escape";
template <> inline constexpr const char* error_message<g::unicode_hex> = "syntax.bad-unicode-escape";
template <> inline constexpr const char* error_message<g::number_end> = "syntax.invalid-number";
template <> inline constexpr const char* error_message<g::date_end> = "syntax.invalid-date";
template <> inline constexpr const char* error_message<g::quarter_end> = "syntax.invalid-quarter";
template <> inline constexpr const char* error_message<g::target_value> = "syntax.expected-target-value";
template <> inline constexpr const char* error_message<g::deadline> = "syntax.expected-deadline";
template <> inline constexpr const char* error_message<g::variance_value> = "syntax.expected-variance";

std::string expand(std::string_view id, const State& st, Span token, Span literal) {
  return i18n::format(id, i18n::arg("kind", keyword(st.in_decl ? st.decl.kind : st.kind)), i18n::arg("name", st.decl.name()),
                      i18n::arg("field", st.field_name), i18n::arg("cmp", to_string(st.target ? st.target->comparator : Comparator::Ge)),
                      i18n::arg("token", st.quoted(token)), i18n::arg("literal", st.quoted(literal)));
}

bool at_decl_start(std::string_view text, std::uint32_t pos) {
  Input in(text.data() + pos, text.data() + text.size(), "");
  return p::parse<g::decl_start>(in);
}

template <typename Rule>
[[noreturn]] void raise_error(std::uint32_t pos, State& st) {
  static_assert(error_message<Rule> != nullptr, "every rule under must<> needs an error_message");
  const std::string_view text = st.text;
  Span token = st.token_at(pos);
  const unsigned char c = pos < text.size() ? static_cast<unsigned char>(text[pos]) : 0;
  const bool eof = pos >= text.size();

  if constexpr (std::is_same_v<Rule, g::string_close>) {
    // Only a line end, EOF, NUL or a bad byte stops the characters of a string.
    if (!eof && c == 0) st.fail({pos, pos + 1}, std::string(i18n::text("syntax.nul-in-string")));
    if (!eof && c >= 0x80) st.fail({pos, pos + 1}, std::string(i18n::text("syntax.bad-utf8-in-string")));
    st.fail({st.string_begin, st.line_end(st.string_begin)}, std::string(i18n::text("syntax.unterminated-string")));
  }
  if (!eof && c == 0) st.fail({pos, pos + 1}, std::string(i18n::text("syntax.unexpected-nul")));
  if (!eof && c >= 0x80 && utf8_length(text, pos) == 0) {
    static constexpr char hex[] = "0123456789ABCDEF";
    const char byte[] = {hex[c >> 4], hex[c & 15], '\0'};
    st.fail({pos, pos + 1}, i18n::format("syntax.bad-utf8-byte", i18n::arg("byte", std::string_view(byte))));
  }
  if constexpr (std::is_same_v<Rule, g::escape_code>) {
    token = {pos - 1, static_cast<std::uint32_t>(pos + (eof ? 0 : std::max<std::size_t>(1, utf8_length(text, pos))))};
  }
  Span literal = token;
  if constexpr (std::is_same_v<Rule, g::number_end> || std::is_same_v<Rule, g::date_end> ||
                std::is_same_v<Rule, g::quarter_end>) {
    literal = st.literal_around(pos);
    token = literal;
  }
  std::string message = expand(error_message<Rule>, st, token, literal);
  if constexpr (std::is_same_v<Rule, g::body_close>) {
    if (!eof && !at_decl_start(text, pos)) {
      const bool same_line = st.have_field && pos >= st.field_end &&
                             text.substr(st.field_end, pos - st.field_end).find('\n') == std::string_view::npos;
      message = same_line ? i18n::format("syntax.unexpected-after-value", i18n::arg("token", st.quoted(token)),
                                         i18n::arg("field", st.field_name))
                          : i18n::format("syntax.expected-field", i18n::arg("kind", keyword(st.decl.kind)),
                                         i18n::arg("name", st.decl.name()));
    }
  }
  st.fail(token, std::move(message));
}

template <typename Rule>
struct control : p::normal<Rule> {
  template <typename ParseInput>
  [[noreturn]] static void raise(const ParseInput& in, State& st) {
    raise_error<Rule>(st.offset(in.current()), st);
  }

  // An exception from an action (allocation failure, say) becomes a syntax
  // error at the rule, so the declaration's try_catch handles it.
  template <template <typename...> class Action, typename Iterator, typename ParseInput>
  static auto apply(const Iterator& begin, const ParseInput& in, State& st)
      -> decltype(p::normal<Rule>::template apply<Action>(begin, in, st)) {
    try {
      return p::normal<Rule>::template apply<Action>(begin, in, st);
    } catch (const p::parse_error&) {
      throw;
    } catch (const StopParsing&) {
      throw;
    } catch (const std::exception& e) {
      const std::uint32_t pos = st.offset(in.current());
      st.fail({pos, pos}, i18n::format("syntax.internal-error", i18n::arg("what", std::string_view(e.what()))));
    }
  }
};

}  // namespace

SyntaxTree parse(std::string_view text, Arena* arena) {
  SyntaxTree tree(arena);
  if (text.size() >= std::numeric_limits<std::uint32_t>::max()) {
    tree.errors.push_back({{0, 0}, std::string(i18n::text("syntax.file-too-large"))});
    return tree;
  }
  // One scratch per thread, reused by every file it parses (a nested parse
  // on the same thread, which nothing does today, gets its own).
  static thread_local Scratch shared_scratch;
  static thread_local bool shared_scratch_busy = false;
  Scratch own_scratch;
  const bool use_shared = !shared_scratch_busy;
  Scratch& scratch = use_shared ? shared_scratch : own_scratch;
  shared_scratch_busy = shared_scratch_busy || use_shared;
  scratch.clear();
  State st(text, tree, scratch);
  try {
    Input in(text.data(), text.data() + text.size(), "");
    p::parse<g::file, action, control>(in, st);
  } catch (const StopParsing&) {
    // error cap reached: keep what was parsed
  } catch (const std::exception& e) {
    // Not expected (the grammar catches its own errors); never escape parse().
    if (tree.errors.size() < kMaxErrors) {
      tree.errors.push_back({{0, 0}, i18n::format("syntax.internal-error", i18n::arg("what", std::string_view(e.what())))});
    }
  }
  if (st.in_decl) {  // stopped inside a declaration
    st.decl.has_error = true;
    st.decl.span = {st.decl.keyword_span.begin, static_cast<std::uint32_t>(text.size())};
    st.commit_decl();
  }
  st.finish();
  if (use_shared) shared_scratch_busy = false;
  return tree;
}

}  // namespace kpilint::syntax
