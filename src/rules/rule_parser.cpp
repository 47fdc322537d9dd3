// The rule-file parser: PEGTL (rule_grammar.hpp) builds a parse tree of the
// selected rules, which is converted into Rules with exact byte spans.
#include "rules/rule_parser.hpp"

#include <tao/pegtl/contrib/parse_tree.hpp>

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdlib>

#include "base/i18n.hpp"
#include "rules/rule_grammar.hpp"
#include "rules/suggest.hpp"

namespace kpilint::rules {

namespace g = grammar;
namespace pegtl = tao::pegtl;

namespace {

// ---- Error messages, one per rule that can be required (must<>): catalogue ids
template <typename Rule>
inline constexpr const char* error_message = "rules.file.unexpected";
template <> inline constexpr const char* error_message<g::rule_decl> = "rules.file.expected-rule";
template <> inline constexpr const char* error_message<g::rule_code> = "rules.file.expected-code";
template <> inline constexpr const char* error_message<g::rule_name> = "rules.file.expected-name";
template <> inline constexpr const char* error_message<g::rule_body> = "rules.file.expected-open-brace";
template <> inline constexpr const char* error_message<g::close_brace> = "rules.file.expected-property";
template <> inline constexpr const char* error_message<g::colon> = "rules.file.expected-colon";
template <> inline constexpr const char* error_message<g::severity_value> = "rules.file.expected-severity";
template <> inline constexpr const char* error_message<g::decl_kind> = "rules.file.expected-kind";
template <> inline constexpr const char* error_message<g::expr> = "rules.file.expected-expression";
template <> inline constexpr const char* error_message<g::interp_expr> = "rules.file.expected-interpolation";
template <> inline constexpr const char* error_message<g::interp_close> = "rules.file.expected-interpolation-end";
template <> inline constexpr const char* error_message<g::at_field> = "rules.file.expected-at-field";
template <> inline constexpr const char* error_message<g::text> = "rules.file.expected-text";
template <> inline constexpr const char* error_message<g::bool_lit> = "rules.file.expected-bool";
template <> inline constexpr const char* error_message<g::example_kind> = "rules.file.expected-example-kind";
template <> inline constexpr const char* error_message<g::str_close> = "rules.file.unterminated-string";
template <> inline constexpr const char* error_message<g::escape_code> = "rules.file.invalid-escape";
template <> inline constexpr const char* error_message<g::hex_digits> = "rules.file.expected-hex";
template <> inline constexpr const char* error_message<g::unicode_close> = "rules.file.expected-unicode-end";
template <> inline constexpr const char* error_message<g::text_block_end> = "rules.file.unterminated-text-block";
template <> inline constexpr const char* error_message<g::paren_close> = "rules.file.expected-paren";
template <> inline constexpr const char* error_message<g::list_close> = "rules.file.expected-list-end";
template <> inline constexpr const char* error_message<g::operand> = "rules.file.expected-operand";
template <> inline constexpr const char* error_message<g::in_rhs> = "rules.file.expected-in-list";
template <> inline constexpr const char* error_message<g::not_expr> = "rules.file.expected-after-and-not";
template <> inline constexpr const char* error_message<g::and_expr> = "rules.file.expected-after-or";
template <> inline constexpr const char* error_message<g::relation> = "rules.file.expected-relation";
template <> inline constexpr const char* error_message<g::lang_code> = "rules.file.expected-language";

struct SyntaxErrorAt {
  std::size_t offset = 0;
  const char* message = nullptr;
};
struct ErrorSink {
  std::vector<SyntaxErrorAt> errors;
};

template <typename Rule>
struct control : pegtl::normal<Rule> {
  template <typename Input, typename... States>
  [[noreturn]] static void raise(const Input& in, States&&... states) {
    (record(in, states), ...);
    throw pegtl::parse_error(error_message<Rule>, in);
  }

 private:
  template <typename Input>
  static void record(const Input& in, ErrorSink& sink) {
    sink.errors.push_back(SyntaxErrorAt{in.position().byte, error_message<Rule>});
  }
  template <typename Input, typename Other>
  static void record(const Input&, Other&) {}
};

template <typename Rule>
using selector = pegtl::parse_tree::selector<
    Rule,
    pegtl::parse_tree::store_content::on<
        g::rule_decl, g::rule_code, g::rule_name, g::severity_prop, g::severity_value, g::for_prop, g::decl_kind,
        g::require_prop, g::at_prop, g::at_field, g::text_prop, g::text_key, g::lang_code, g::flag_prop, g::flag_key,
        g::example_prop, g::example_kind, g::unknown_prop, g::where_clause, g::string_lit, g::str_text,
        g::str_lbrace, g::str_rbrace, g::str_lone_rbrace, g::str_escape, g::interp, g::text_block_body,
        g::date_lit, g::quarter_lit, g::number_lit, g::bool_lit, g::path, g::list_lit, g::aggregate, g::agg_name,
        g::relation, g::call, g::call_name, g::cmp_op, g::kw_in, g::cmp_expr, g::not_expr, g::and_expr,
        g::or_expr>>;

using Node = pegtl::parse_tree::node;

bool is_ident_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

// The token at `offset`, for a syntax error's span.
Span token_at(std::string_view text, std::size_t offset) {
  offset = std::min(offset, text.size());
  std::size_t end = offset;
  if (end < text.size()) {
    if (is_ident_char(text[end])) {
      while (end < text.size() && is_ident_char(text[end])) ++end;
    } else if (text[end] != '\n' && text[end] != '\r') {
      ++end;
      while (end < text.size() && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) ++end;
    }
  }
  return Span{static_cast<std::uint32_t>(offset), static_cast<std::uint32_t>(end)};
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

constexpr std::array<std::string_view, 11> kProperties = {
    "severity", "for", "require", "at", "message", "help", "summary", "rationale", "example", "builtin", "configurable",
};

class Converter {
 public:
  Converter(const SourceFile& file, std::vector<Diagnostic>& errors) : file_(file), errors_(errors) {}

  void rule(const Node& n, std::vector<Rule>& out) {
    Rule r;
    r.file = &file_;
    r.span = span(n);
    rule_ = &r;
    ok_ = true;
    seen_.clear();
    for (const auto& child : n.children) {
      const Node& c = *child;
      if (c.is_type<g::rule_code>()) {
        r.code_span = span(c);
        r.info.code = std::string(c.string_view());
      } else if (c.is_type<g::rule_name>()) {
        r.name_span = span(c);
        r.info.name = std::string(c.string_view());
      } else {
        property(c);
      }
    }
    if (ok_) out.push_back(std::move(r));
    rule_ = nullptr;
  }

 private:
  Span span(const Node& n) const {
    return Span{static_cast<std::uint32_t>(n.m_begin.byte), static_cast<std::uint32_t>(n.m_end.byte)};
  }

  void error(Span at, std::string message) {
    errors_.push_back(rule_file_error(file_, at, std::move(message)));
    ok_ = false;
  }

  // The property's key: the first identifier of the node.
  Span key_span(const Node& n) const {
    Span s = span(n);
    std::string_view text = file_.slice(s);
    std::uint32_t length = 0;
    while (length < text.size() && is_ident_char(text[length])) ++length;
    return Span{s.begin, s.begin + length};
  }

  bool once(const Node& n, std::string_view key) {
    for (const auto& seen : seen_) {
      if (seen == key) {
        error(key_span(n), i18n::format("rules.file.duplicate-property", i18n::arg("key", key),
                                        i18n::arg("code", rule_->info.code)));
        return false;
      }
    }
    seen_.push_back(std::string(key));
    return true;
  }

  void property(const Node& n) {
    Rule& r = *rule_;
    if (n.is_type<g::severity_prop>()) {
      if (!once(n, "severity")) return;
      r.has_severity = true;
      r.severity_name = n.children.at(0)->string_view();
      r.severity_span = span(*n.children.at(0));
    } else if (n.is_type<g::for_prop>()) {
      if (!once(n, "for")) return;
      r.has_for = true;
      r.for_span = key_span(n);
      for (const auto& c : n.children) {
        if (c->is_type<g::decl_kind>()) {
          r.kind_names.push_back(c->string_view());
          r.kind_spans.push_back(span(*c));
        } else if (c->is_type<g::where_clause>()) {
          r.where = expr(*c->children.at(0));
        }
      }
    } else if (n.is_type<g::require_prop>()) {
      if (!once(n, "require")) return;
      r.require = expr(*n.children.at(0));
      r.require_span = span(*n.children.at(0));
    } else if (n.is_type<g::at_prop>()) {
      if (!once(n, "at")) return;
      r.at_name = n.children.at(0)->string_view();
      r.at_span = span(*n.children.at(0));
    } else if (n.is_type<g::text_prop>()) {
      // `message:` is English; `message.pt:` its Portuguese translation.
      const std::string_view key = n.children.at(0)->string_view();
      const bool translated = n.children.at(1)->is_type<g::lang_code>();
      std::string full_key(key);
      if (translated) {
        const Node& lang = *n.children[1];
        full_key += "." + std::string(lang.string_view());
        if (lang.string_view() != "pt") {
          error(span(lang), i18n::format("rules.file.unknown-language", i18n::arg("lang", lang.string_view()),
                                         i18n::arg("key", key)));
          return;
        }
      }
      if (!once(n, full_key)) return;
      const Node& value = *n.children.at(translated ? 2 : 1);
      if (key == "message" || key == "help") {
        Template& t = key == "message" ? (translated ? r.message_pt : r.message) : (translated ? r.help_pt : r.help);
        t = make_template(value);
        if (translated) r.doc_spans.push_back(span(n));  // `explain` shows the rule's logic without translations
      } else {
        std::string text = plain_text(value, full_key);
        r.doc_spans.push_back(span(n));
        if (key == "summary") {
          (translated ? r.info.summary_pt : r.info.summary) = std::move(text);
        } else {
          (translated ? r.info.rationale_pt : r.info.rationale) = std::move(text);
        }
      }
    } else if (n.is_type<g::flag_prop>()) {
      const std::string_view key = n.children.at(0)->string_view();
      if (!once(n, key)) return;
      const bool value = n.children.at(1)->string_view() == "true";
      if (key == "builtin") {
        r.info.builtin_language = value;
        r.has_builtin_flag = true;
      } else {
        r.info.configurable = value;
      }
    } else if (n.is_type<g::example_prop>()) {
      r.doc_spans.push_back(span(n));
      RuleExample example;
      example.fails = n.children.at(0)->string_view() == "fails";
      example.title = example.fails ? "fails" : "passes";
      example.text = plain_text(*n.children.at(1), "example");
      if (!example.text.empty() && example.text.back() != '\n') example.text += '\n';
      r.info.examples.push_back(std::move(example));
    } else if (n.is_type<g::unknown_prop>()) {
      const Span key = key_span(n);
      const std::string_view word = file_.slice(key);
      error(key, i18n::format("rules.file.unknown-property", i18n::arg("word", word),
                              i18n::arg("suggestion", did_you_mean(word, kProperties))));
    }
  }

  Template make_template(const Node& value) {
    Template t;
    t.present = true;
    t.span = span(value);
    if (value.is_type<g::text_block_body>()) {
      t.parts.push_back(TemplatePart{dedent_text_block(value.string_view()), kNoExpr});
      return t;
    }
    std::string pending;
    for (const auto& part : value.children) {
      if (part->is_type<g::interp>()) {
        if (!pending.empty()) t.parts.push_back(TemplatePart{std::move(pending), kNoExpr});
        pending.clear();
        t.parts.push_back(TemplatePart{std::string(), expr(*part->children.at(0))});
      } else {
        pending += string_piece(*part);
      }
    }
    if (!pending.empty() || t.parts.empty()) t.parts.push_back(TemplatePart{std::move(pending), kNoExpr});
    return t;
  }

  // Text with no interpolation (summary, rationale, examples).
  std::string plain_text(const Node& value, std::string_view key) {
    if (value.is_type<g::text_block_body>()) return dedent_text_block(value.string_view());
    std::string text;
    for (const auto& part : value.children) {
      if (part->is_type<g::interp>()) {
        error(span(*part), i18n::format("rules.file.interpolation-not-allowed", i18n::arg("key", key)));
      } else {
        text += string_piece(*part);
      }
    }
    return text;
  }

  std::string string_piece(const Node& part) {
    const std::string_view s = part.string_view();
    if (part.is_type<g::str_text>()) return std::string(s);
    if (part.is_type<g::str_lbrace>()) return "{";
    if (part.is_type<g::str_rbrace>() || part.is_type<g::str_lone_rbrace>()) return "}";
    if (part.is_type<g::str_escape>()) {
      switch (s.at(1)) {
        case 'n': return "\n";
        case 't': return "\t";
        case 'u': {
          std::uint32_t cp = 0;
          const std::string_view hex = s.substr(3, s.size() - 4);
          const auto result = std::from_chars(hex.data(), hex.data() + hex.size(), cp, 16);
          if (result.ec != std::errc() || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
            error(span(part), i18n::format("rules.file.invalid-code-point", i18n::arg("text", s)));
            return "";
          }
          std::string out;
          append_utf8(out, cp);
          return out;
        }
        default: return std::string(1, s.at(1));
      }
    }
    return std::string(s);
  }

  ExprId add(Expr e) {
    rule_->exprs.push_back(std::move(e));
    return static_cast<ExprId>(rule_->exprs.size() - 1);
  }

  ExprId expr(const Node& n) {
    Expr e;
    e.span = span(n);
    if (n.is_type<g::or_expr>() || n.is_type<g::and_expr>()) {
      if (n.children.size() == 1) return expr(*n.children[0]);
      e.op = n.is_type<g::or_expr>() ? ExprOp::Or : ExprOp::And;
      for (const auto& c : n.children) {
        const ExprId id = expr(*c);
        e.args.push_back(id);
      }
      return add(std::move(e));
    }
    if (n.is_type<g::not_expr>()) {
      const std::string_view s = n.string_view();
      const bool negated = s.size() >= 3 && s.substr(0, 3) == "not" && (s.size() == 3 || !is_ident_char(s[3]));
      if (!negated) return expr(*n.children.at(0));
      e.op = ExprOp::Not;
      e.args.push_back(expr(*n.children.at(0)));
      return add(std::move(e));
    }
    if (n.is_type<g::cmp_expr>()) {
      if (n.children.size() == 1) return expr(*n.children[0]);
      const ExprId lhs = expr(*n.children.at(0));
      const Node& op = *n.children.at(1);
      const Node& rhs = *n.children.at(2);
      e.args.push_back(lhs);
      if (op.is_type<g::kw_in>()) {
        if (rhs.is_type<g::list_lit>()) {
          e.op = ExprOp::InList;
          for (const auto& item : rhs.children) {
            const ExprId id = expr(*item);
            e.args.push_back(id);
          }
        } else {
          e.op = ExprOp::InField;
          e.args.push_back(expr(rhs));
        }
      } else {
        e.op = ExprOp::Compare;
        const std::string_view o = op.string_view();
        e.cmp = o == "==" ? CmpOp::Eq : o == "!=" ? CmpOp::Ne : o == "<=" ? CmpOp::Le
              : o == ">=" ? CmpOp::Ge : o == "<" ? CmpOp::Lt : CmpOp::Gt;
        e.args.push_back(expr(rhs));
      }
      return add(std::move(e));
    }
    if (n.is_type<g::path>()) {
      e.op = ExprOp::Path;
      const std::string_view s = n.string_view();
      std::size_t start = 0;
      for (std::size_t i = 0; i <= s.size(); ++i) {
        if (i == s.size() || s[i] == '.') {
          e.names.push_back(s.substr(start, i - start));
          e.name_spans.push_back(Span{e.span.begin + static_cast<std::uint32_t>(start),
                                      e.span.begin + static_cast<std::uint32_t>(i)});
          start = i + 1;
        }
      }
      return add(std::move(e));
    }
    if (n.is_type<g::aggregate>()) {
      e.op = ExprOp::Aggregate;
      const std::string_view name = n.children.at(0)->string_view();
      e.agg = name == "count" ? AggOp::Count : name == "any" ? AggOp::Any : AggOp::All;
      e.relation_name = n.children.at(1)->string_view();
      e.relation_span = span(*n.children.at(1));
      if (n.children.size() > 2) e.args.push_back(expr(*n.children[2]->children.at(0)));
      return add(std::move(e));
    }
    if (n.is_type<g::call>()) {
      e.op = ExprOp::Call;
      e.func_name = n.children.at(0)->string_view();
      e.func_span = span(*n.children.at(0));
      for (std::size_t i = 1; i < n.children.size(); ++i) {
        const ExprId id = expr(*n.children[i]);
        e.args.push_back(id);
      }
      return add(std::move(e));
    }
    if (n.is_type<g::list_lit>()) {
      // A list outside `in`: the checker reports it.
      e.op = ExprOp::InList;
      e.lit = LitKind::Word;
      e.text = "[list]";
      return add(std::move(e));
    }
    e.op = ExprOp::Literal;
    const std::string_view s = n.string_view();
    e.text = std::string(s);
    if (n.is_type<g::string_lit>()) {
      e.lit = LitKind::String;
      e.text.clear();
      for (const auto& part : n.children) {
        if (part->is_type<g::interp>()) {
          e.has_interpolation = true;
        } else {
          e.text += string_piece(*part);
        }
      }
    } else if (n.is_type<g::number_lit>()) {
      e.lit = LitKind::Number;
      std::string digits;
      for (char c : s) {
        if (c != '_' && c != '%') digits += c;
      }
      e.number = std::strtod(digits.c_str(), nullptr);
    } else if (n.is_type<g::date_lit>()) {
      e.lit = LitKind::Date;
      const int y = std::atoi(std::string(s.substr(0, 4)).c_str());
      const int m = std::atoi(std::string(s.substr(5, 2)).c_str());
      const int d = std::atoi(std::string(s.substr(8, 2)).c_str());
      e.date = y * 10000 + m * 100 + d;
    } else if (n.is_type<g::quarter_lit>()) {
      e.lit = LitKind::Date;
      const int y = std::atoi(std::string(s.substr(0, 4)).c_str());
      const int q = s[6] - '0';
      e.date = y * 10000 + q * 3 * 100 + ((q == 1 || q == 4) ? 31 : 30);
    } else if (n.is_type<g::bool_lit>()) {
      e.lit = LitKind::Bool;
      e.boolean = s == "true";
    }
    return add(std::move(e));
  }

  const SourceFile& file_;
  std::vector<Diagnostic>& errors_;
  Rule* rule_ = nullptr;
  bool ok_ = true;
  std::vector<std::string> seen_;
};

}  // namespace

std::string Rule::logic_source() const {
  if (file == nullptr) return {};
  std::string text;
  std::uint32_t at = span.begin;
  for (const Span& doc : doc_spans) {  // in source order
    if (doc.begin > at) text += file->slice(Span{at, doc.begin});
    at = std::max(at, doc.end);
  }
  if (span.end > at) text += file->slice(Span{at, span.end});
  std::string out;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    const std::string_view line = std::string_view(text).substr(start, end - start);
    if (line.find_first_not_of(" \t\r") != std::string_view::npos) {
      out += line;
      out += '\n';
    }
    start = end + 1;
  }
  return out;
}

Diagnostic rule_file_error(const SourceFile& file, Span span, std::string message) {
  Diagnostic d;
  d.location = Location{&file, span};
  d.severity = Severity::Error;
  d.code = "config";
  d.rule = "rule-file";
  d.message = std::move(message);
  return d;
}

std::string dedent_text_block(std::string_view body) {
  std::vector<std::string_view> lines;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= body.size(); ++i) {
    if (i == body.size() || body[i] == '\n') {
      std::string_view line = body.substr(start, i - start);
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      lines.push_back(line);
      start = i + 1;
    }
  }
  auto blank = [](std::string_view line) {
    return line.find_first_not_of(" \t") == std::string_view::npos;
  };
  if (!lines.empty() && blank(lines.front())) lines.erase(lines.begin());
  if (!lines.empty() && blank(lines.back())) lines.pop_back();
  std::size_t indent = std::string_view::npos;
  for (std::string_view line : lines) {
    if (blank(line)) continue;
    indent = std::min(indent, line.find_first_not_of(" \t"));
  }
  if (indent == std::string_view::npos) indent = 0;
  std::string out;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    std::string_view line = lines[i];
    if (blank(line)) {
      line = {};
    } else {
      line.remove_prefix(std::min(indent, line.size()));
    }
    out += line;
    if (i + 1 < lines.size()) out += '\n';
  }
  return out;
}

std::vector<Rule> parse_rule_file(const SourceFile& file, std::vector<Diagnostic>& errors) {
  std::vector<Rule> rules;
  constexpr std::size_t kMaxErrors = 50;
  pegtl::memory_input<> in(file.text.data(), file.text.size(), file.path);
  // `rule_item` records the error of a rule that does not parse (control::raise)
  // and resumes at the next line that starts with `rule`.
  ErrorSink sink;
  std::unique_ptr<Node> root;
  try {
    root = pegtl::parse_tree::parse<g::file, Node, selector, pegtl::nothing, control>(in, sink);
  } catch (const pegtl::parse_error& e) {  // not expected: rule_item catches
    const std::size_t offset = e.positions().empty() ? 0 : e.positions().front().byte;
    sink.errors.push_back(SyntaxErrorAt{offset, "rules.file.unexpected"});
  }
  for (std::size_t i = 0; i < sink.errors.size() && i < kMaxErrors; ++i) {
    errors.push_back(rule_file_error(file, token_at(file.text, sink.errors[i].offset),
                                     i18n::format(sink.errors[i].message)));
  }
  if (!root) return rules;
  Converter converter(file, errors);
  for (const auto& child : root->children) {
    if (child->is_type<g::rule_decl>()) converter.rule(*child, rules);
  }
  return rules;
}

}  // namespace kpilint::rules
