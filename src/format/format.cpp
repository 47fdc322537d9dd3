// The formatter: assigns every comment to the item it belongs to, then prints
// the tree in the canonical layout of format.hpp.
#include "format/format.hpp"

#include <algorithm>
#include <optional>
#include <vector>

#include "base/line_index.hpp"

namespace kpilint::format {

namespace {

using syntax::Decl;
using syntax::DeclKind;
using syntax::Field;
using syntax::SyntaxTree;
using syntax::Value;
using syntax::ValueKind;

constexpr std::string_view kBom = "\xEF\xBB\xBF";

// Where the comments of one item go (indices into tree.comments, in source order).
struct FieldSlots {
  std::vector<std::size_t> leading;
  std::vector<std::size_t> trailing;  // at most one
  bool verbatim = false;              // a list value with a comment inside
};

struct DeclSlots {
  std::vector<std::size_t> leading;
  std::vector<std::size_t> header_trailing;  // after `use a.b` or `kpi x {`
  std::vector<FieldSlots> fields;
  std::vector<std::size_t> body_end;        // own-line comments before `}`
  std::vector<std::size_t> close_trailing;  // after `}`
  std::uint32_t open_brace = 0;
  std::uint32_t close_brace = 0;
};

enum class SlotKind { DeclLeading, HeaderTrailing, FieldLeading, FieldTrailing, BodyEnd, CloseTrailing, FileEnd };

struct SlotRef {
  std::uint32_t pos;  // anchors: where the item ends; leadables: where it starts
  SlotKind kind;
  std::size_t decl = 0;
  std::size_t field = 0;
};

class Formatter {
 public:
  Formatter(std::string_view text, const SyntaxTree& tree) : text_(text), tree_(tree) {}

  std::string run() {
    locate_braces();
    assign_comments();
    emit();
    return finish();
  }

 private:
  std::string_view text_;
  const SyntaxTree& tree_;
  std::vector<DeclSlots> slots_;
  std::vector<std::size_t> file_end_;
  std::string out_;  // LF line ends; converted in finish()

  bool is_block(const Decl& d) const { return d.kind != DeclKind::Use; }
  Span comment_span(std::size_t index) const { return tree_.comments[index].span; }

  std::string_view slice(Span span) const { return text_.substr(span.begin, span.size()); }

  // The comment's text without trailing blanks (a lone CR before EOF, spaces).
  std::string_view comment_text(std::size_t index) const {
    std::string_view t = slice(comment_span(index));
    while (!t.empty() && (t.back() == ' ' || t.back() == '\t' || t.back() == '\r')) t.remove_suffix(1);
    return t;
  }

  // True when the author left a blank line between two pieces of text.
  bool blank_between(std::uint32_t end, std::uint32_t begin) const {
    if (begin <= end) return false;
    return std::count(text_.begin() + end, text_.begin() + begin, '\n') >= 2;
  }

  void locate_braces() {
    slots_.resize(tree_.decls.size());
    for (std::size_t i = 0; i < tree_.decls.size(); ++i) {
      const Decl& d = tree_.decls[i];
      DeclSlots& s = slots_[i];
      s.fields.resize(d.fields.size());
      if (!is_block(d)) continue;
      // Between the name and `{` there are only blanks, line breaks and comments.
      std::uint32_t pos = d.name_span.end;
      while (pos < text_.size() && text_[pos] != '{') {
        if (text_[pos] == '#') {
          while (pos < text_.size() && text_[pos] != '\n') ++pos;
        } else {
          ++pos;
        }
      }
      s.open_brace = pos;
      s.close_brace = d.span.end > 0 ? d.span.end - 1 : 0;
    }
  }

  void assign_comments() {
    std::vector<SlotRef> anchors;     // comments on the same line after these trail them
    std::vector<SlotRef> leadables;   // other comments go before the next of these
    for (std::size_t i = 0; i < tree_.decls.size(); ++i) {
      const Decl& d = tree_.decls[i];
      leadables.push_back({d.keyword_span.begin, SlotKind::DeclLeading, i});
      if (!is_block(d)) {
        anchors.push_back({d.span.end, SlotKind::HeaderTrailing, i});
        continue;
      }
      anchors.push_back({d.name_span.end, SlotKind::HeaderTrailing, i});
      anchors.push_back({slots_[i].open_brace + 1, SlotKind::HeaderTrailing, i});
      for (std::size_t f = 0; f < d.fields.size(); ++f) {
        leadables.push_back({d.fields[f].name_span.begin, SlotKind::FieldLeading, i, f});
        anchors.push_back({d.fields[f].span().end, SlotKind::FieldTrailing, i, f});
      }
      leadables.push_back({slots_[i].close_brace, SlotKind::BodyEnd, i});
      anchors.push_back({slots_[i].close_brace + 1, SlotKind::CloseTrailing, i});
    }
    leadables.push_back({static_cast<std::uint32_t>(text_.size()), SlotKind::FileEnd});
    const auto by_pos = [](const SlotRef& a, const SlotRef& b) { return a.pos < b.pos; };
    std::stable_sort(anchors.begin(), anchors.end(), by_pos);
    std::stable_sort(leadables.begin(), leadables.end(), by_pos);

    for (std::size_t c = 0; c < tree_.comments.size(); ++c) {
      const Span span = comment_span(c);
      if (inside_value(c)) continue;
      // Trailing: the last item ending before the comment, on the same line.
      const auto after = std::upper_bound(anchors.begin(), anchors.end(), span.begin,
                                          [](std::uint32_t pos, const SlotRef& a) { return pos < a.pos; });
      if (after != anchors.begin()) {
        const SlotRef& a = *std::prev(after);
        const bool same_line = std::find(text_.begin() + a.pos, text_.begin() + span.begin, '\n') ==
                               text_.begin() + span.begin;
        std::vector<std::size_t>& bucket = slot(a);
        if (same_line && bucket.empty()) {
          bucket.push_back(c);
          continue;
        }
      }
      // Own line (or a second comment trailing the same header): before the next item.
      const auto next = std::lower_bound(leadables.begin(), leadables.end(), span.end,
                                         [](const SlotRef& l, std::uint32_t pos) { return l.pos < pos; });
      std::vector<std::size_t>& bucket = slot(next == leadables.end() ? leadables.back() : *next);
      // Keep source order (a moved header comment may come after own-line ones).
      bucket.insert(std::upper_bound(bucket.begin(), bucket.end(), c), c);
    }
    // `person p { name: "P" }  # note`: the note is about the declaration, so
    // when it is spread over lines the note goes on the header line.
    for (std::size_t i = 0; i < tree_.decls.size(); ++i) {
      DeclSlots& s = slots_[i];
      const Decl& d = tree_.decls[i];
      if (!is_block(d) || s.close_trailing.empty() || !s.header_trailing.empty()) continue;
      const auto first = text_.begin() + d.keyword_span.begin, last = text_.begin() + s.close_brace;
      if (std::find(first, last, '\n') == last) s.header_trailing.swap(s.close_trailing);
    }
  }

  // A comment inside a list value: that field is printed verbatim.
  bool inside_value(std::size_t c) {
    const std::uint32_t pos = comment_span(c).begin;
    // Declarations are in source order: the one containing `pos` is the last
    // that starts before it.
    const auto& decls = tree_.decls;
    const auto after = std::upper_bound(decls.begin(), decls.end(), pos,
                                        [](std::uint32_t p, const Decl& d) { return p < d.keyword_span.begin; });
    if (after == decls.begin()) return false;
    const auto i = static_cast<std::size_t>(std::prev(after) - decls.begin());
    const Decl& d = decls[i];
    if (!d.span.contains(pos)) return false;
    for (std::size_t f = 0; f < d.fields.size(); ++f) {
      if (d.fields[f].value.span.contains(pos)) {
        slots_[i].fields[f].verbatim = true;
        return true;
      }
    }
    return false;
  }

  std::vector<std::size_t>& slot(const SlotRef& ref) {
    switch (ref.kind) {
      case SlotKind::DeclLeading: return slots_[ref.decl].leading;
      case SlotKind::HeaderTrailing: return slots_[ref.decl].header_trailing;
      case SlotKind::FieldLeading: return slots_[ref.decl].fields[ref.field].leading;
      case SlotKind::FieldTrailing: return slots_[ref.decl].fields[ref.field].trailing;
      case SlotKind::BodyEnd: return slots_[ref.decl].body_end;
      case SlotKind::CloseTrailing: return slots_[ref.decl].close_trailing;
      case SlotKind::FileEnd: return file_end_;
    }
    return file_end_;
  }

  // ---------------------------------------------------------------- printing

  void print_value(const Value& v) {
    switch (v.kind) {
      case ValueKind::Missing: break;
      case ValueKind::String:
      case ValueKind::Number:
      case ValueKind::Date:
      case ValueKind::Quarter:
      case ValueKind::AtRef: out_ += slice(v.span); break;
      case ValueKind::Word: out_ += v.text(); break;
      case ValueKind::Words:
        for (std::size_t k = 0; k < v.items().size(); ++k) {
          if (k > 0) out_ += ' ';
          out_ += v.items()[k].text();
        }
        break;
      case ValueKind::List:
        out_ += '[';
        for (std::size_t k = 0; k < v.items().size(); ++k) {
          if (k > 0) out_ += ", ";
          print_value(v.items()[k]);
        }
        out_ += ']';
        break;
      case ValueKind::Target: {
        if (!v.target()) {  // cannot happen with the parser; keep the text
          out_ += slice(v.span);
          break;
        }
        const syntax::Target& t = *v.target();
        out_ += syntax::to_string(t.comparator);
        out_ += ' ';
        print_value(t.value);
        if (t.unit.kind != ValueKind::Missing) {
          out_ += ' ';
          print_value(t.unit);
        }
        if (t.deadline.kind != ValueKind::Missing) {
          out_ += " by ";
          print_value(t.deadline);
        }
        if (t.variance.kind != ValueKind::Missing) {
          out_ += " \xC2\xB1 ";
          print_value(t.variance);
          if (t.variance_unit.kind != ValueKind::Missing) {
            out_ += ' ';
            print_value(t.variance_unit);
          }
        }
        break;
      }
    }
  }

  // The source text of a value, CRLFs made LF (finish() converts back).
  void print_verbatim(Span span) {
    const std::string_view t = slice(span);
    for (std::size_t k = 0; k < t.size(); ++k) {
      if (t[k] == '\r' && k + 1 < t.size() && t[k + 1] == '\n') continue;
      out_ += t[k];
    }
  }

  void trailing(const std::vector<std::size_t>& comments) {
    if (comments.empty()) return;
    out_ += "  ";
    out_ += comment_text(comments.front());
  }

  // Own-line comments before an item that starts at `item_begin`, keeping one
  // blank line where the author had some between them and the item.
  void comment_run(const std::vector<std::size_t>& comments, std::string_view indent,
                   std::optional<std::uint32_t> item_begin) {
    for (std::size_t k = 0; k < comments.size(); ++k) {
      if (k > 0 && blank_between(comment_span(comments[k - 1]).end, comment_span(comments[k]).begin)) out_ += '\n';
      out_ += indent;
      out_ += comment_text(comments[k]);
      out_ += '\n';
    }
    if (!comments.empty() && item_begin && blank_between(comment_span(comments.back()).end, *item_begin)) {
      out_ += '\n';
    }
  }

  std::uint32_t begin_with_leading(const std::vector<std::size_t>& leading, std::uint32_t item_begin) const {
    return leading.empty() ? item_begin : std::min(item_begin, comment_span(leading.front()).begin);
  }

  std::uint32_t end_with_trailing(const std::vector<std::size_t>& trailing, std::uint32_t item_end) const {
    return trailing.empty() ? item_end : std::max(item_end, comment_span(trailing.back()).end);
  }

  void emit() {
    std::optional<std::uint32_t> prev_end;
    bool prev_block = false;
    for (std::size_t i = 0; i < tree_.decls.size(); ++i) {
      const Decl& d = tree_.decls[i];
      const DeclSlots& s = slots_[i];
      const std::uint32_t begin = begin_with_leading(s.leading, d.keyword_span.begin);
      if (prev_end && (prev_block || is_block(d) || blank_between(*prev_end, begin))) out_ += '\n';
      comment_run(s.leading, "", d.keyword_span.begin);
      out_ += syntax::keyword(d.kind);
      out_ += ' ';
      out_ += d.name();
      if (!is_block(d)) {
        trailing(s.header_trailing);
        out_ += '\n';
        prev_end = end_with_trailing(s.header_trailing, d.span.end);
        prev_block = false;
        continue;
      }
      emit_body(d, s);
      prev_end = end_with_trailing(s.close_trailing, s.close_brace + 1);
      prev_block = true;
    }
    if (!file_end_.empty()) {
      if (prev_end && blank_between(*prev_end, comment_span(file_end_.front()).begin)) out_ += '\n';
      comment_run(file_end_, "", std::nullopt);
    }
  }

  void emit_body(const Decl& d, const DeclSlots& s) {
    const bool one_line =
        d.fields.empty() && s.body_end.empty() && s.header_trailing.size() + s.close_trailing.size() <= 1;
    if (one_line) {
      out_ += " {}";
      trailing(s.header_trailing);
      trailing(s.close_trailing);
      out_ += '\n';
      return;
    }
    out_ += " {";
    trailing(s.header_trailing);
    out_ += '\n';
    std::optional<std::uint32_t> prev_end;  // of the previous field, in the body
    for (std::size_t f = 0; f < d.fields.size(); ++f) {
      const Field& field = d.fields[f];
      const FieldSlots& fs = s.fields[f];
      const std::uint32_t begin = begin_with_leading(fs.leading, field.name_span.begin);
      if (prev_end && blank_between(*prev_end, begin)) out_ += '\n';
      comment_run(fs.leading, "  ", field.name_span.begin);
      out_ += "  ";
      out_ += field.name();
      out_ += ": ";
      if (fs.verbatim) {
        print_verbatim(field.value.span);
      } else {
        print_value(field.value);
      }
      trailing(fs.trailing);
      out_ += '\n';
      prev_end = end_with_trailing(fs.trailing, field.span().end);
    }
    if (!s.body_end.empty()) {
      if (prev_end && blank_between(*prev_end, comment_span(s.body_end.front()).begin)) out_ += '\n';
      comment_run(s.body_end, "  ", std::nullopt);
    }
    out_ += '}';
    trailing(s.close_trailing);
    out_ += '\n';
  }

  std::string finish() const {
    const bool bom = text_.substr(0, kBom.size()) == kBom;
    const std::size_t lf = text_.find('\n');
    const bool crlf = lf != std::string_view::npos && lf > 0 && text_[lf - 1] == '\r';
    std::string result;
    result.reserve(out_.size() + (crlf ? out_.size() / 16 : 0) + kBom.size());
    if (bom) result += kBom;
    if (!crlf) return result + out_;
    for (const char c : out_) {
      if (c == '\n') result += '\r';
      result += c;
    }
    return result;
  }
};

}  // namespace

std::string format_source(std::string_view text, const SyntaxTree& tree) {
  if (!tree.errors.empty()) return std::string(text);
  return Formatter(text, tree).run();
}

FormatResult format_text(std::string_view text) {
  const SyntaxTree tree = syntax::parse(text);
  FormatResult result;
  if (!tree.errors.empty()) {
    const auto first = std::min_element(tree.errors.begin(), tree.errors.end(), [](const auto& a, const auto& b) {
      return a.span.begin < b.span.begin;
    });
    const LineIndex lines(text);
    const LineColumn at = lines.position(first->span.begin, Encoding::Utf32);
    result.error_line = at.line + 1;
    result.error_column = at.column + 1;
    result.error_message = first->message;
    result.output = std::string(text);
    return result;
  }
  result.ok = true;
  result.output = format_source(text, tree);
  return result;
}

}  // namespace kpilint::format
