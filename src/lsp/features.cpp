#include "lsp/features.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <map>
#include <set>
#include <string_view>

#include "base/i18n.hpp"
#include "format/format.hpp"
#include "lsp/position.hpp"
#include "model/entity.hpp"
#include "model/schema.hpp"
#include "rules/rule_pack.hpp"

namespace kpilint::lsp {

namespace fs = std::filesystem;
using model::Document;
using model::Entity;
using model::FieldId;
using syntax::DeclKind;

namespace {

constexpr std::array kDeclKinds = {DeclKind::Use,    DeclKind::Person, DeclKind::Team,      DeclKind::Objective,
                                   DeclKind::Kpi,    DeclKind::Metric, DeclKind::Experiment};

bool is_ident_start(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool is_ident_char(char c) { return is_ident_start(c) || (c >= '0' && c <= '9'); }

std::optional<DeclKind> decl_kind_of(std::string_view word) {
  for (const DeclKind kind : kDeclKinds) {
    if (syntax::keyword(kind) == word) return kind;
  }
  return std::nullopt;
}

std::string_view text_of(const Document& document) { return document.source->text; }

Range range_in(const FeatureContext& context, const Document& document, Span span) {
  return to_range(document.source->lines(), span, context.encoding);
}

json location_json(const FeatureContext& context, const Document& document, Span span) {
  return json{{"uri", context.uri_of(document.absolute_path)}, {"range", to_json(range_in(context, document, span))}};
}

bool is_workspace_document(const FeatureContext& context, const Document* document) {
  return document != nullptr && !document->stdlib && context.snapshot.document(document->absolute_path) == document;
}

// ---- diagnostics ---------------------------------------------------------

int severity_number(Severity severity) {
  switch (severity) {
    case Severity::Error: return 1;
    case Severity::Warning: return 2;
    case Severity::Info: return 3;
  }
  return 1;
}

json diagnostic_json(const FeatureContext& context, const Document& document, const Diagnostic& d) {
  json out{{"range", to_json(range_in(context, document, d.location.span))},
           {"severity", severity_number(d.severity)},
           {"code", d.code},
           {"source", "kpilint"},
           {"message", d.help.empty() ? d.message : d.message + "\n" + d.help}};
  if (!context.docs_base_url.empty()) out["codeDescription"] = {{"href", context.docs_base_url + d.code}};
  if (context.client.diagnostic_tags && d.code == "KPI008") out["tags"] = json::array({1});  // Unnecessary
  if (context.client.related_information && !d.related.empty()) {
    json related = json::array();
    for (const auto& info : d.related) {
      const Document* where = context.snapshot.document_of(info.location.file);
      if (!where) continue;  // the stdlib has no file to point at
      related.push_back({{"location", location_json(context, *where, info.location.span)}, {"message", info.message}});
    }
    if (!related.empty()) out["relatedInformation"] = std::move(related);
  }
  if (!d.rule.empty()) out["data"] = {{"rule", d.rule}};
  return out;
}

// ---- what is at a position -----------------------------------------------

struct SymbolAt {
  const Entity* entity = nullptr;  // nullptr: a reference that did not resolve
  Span span;                       // the name token (never the '@')
  bool declaration = false;
};

std::optional<SymbolAt> symbol_at(const FeatureContext& context, const Document& document, std::uint32_t offset) {
  const model::Model* model = context.snapshot.model();
  if (!model) return std::nullopt;
  // First a token that contains the offset; then one that ends right at it
  // (the cursor just after a name).
  for (const bool touching : {false, true}) {
    const auto matches = [&](Span span) {
      return touching ? (!span.empty() && span.end == offset) : span.contains(offset);
    };
    for (const auto& reference : model->references()) {
      if (reference.document == &document && matches(reference.span)) {
        return SymbolAt{reference.target, reference.span, false};
      }
    }
    for (const auto& entity : model->entities()) {
      if (entity->document == &document && entity->decl && matches(entity->decl->name_span)) {
        return SymbolAt{entity, entity->decl->name_span, true};
      }
    }
  }
  return std::nullopt;
}

const syntax::Decl* decl_at(const Document& document, std::uint32_t offset) {
  for (const auto& decl : document.tree.decls) {
    if (decl.span.begin <= offset && (offset < decl.span.end || (decl.span.empty() && offset == decl.span.begin))) {
      return &decl;
    }
  }
  return nullptr;
}

// ---- describing declarations (hover, completion details) -----------------

std::string value_string(const Document& document, const syntax::Value& value) {
  if (value.kind == syntax::ValueKind::String) return "\"" + std::string(value.text()) + "\"";
  return std::string(document.source->slice(value.span));
}

std::string module_of(const Entity& entity) {
  if (!entity.stdlib || !entity.document) return {};
  return "std." + fs::path(entity.document->source->path).stem().string();
}

// A field's value as shown in a hover, with where an inherited value came from.
std::optional<std::string> field_display(const Entity& entity, FieldId id) {
  const model::FieldRead read = model::read_field(entity, id);
  if (read.state == model::ReadState::Present && read.field && read.owner && read.owner->document) {
    std::string out = value_string(*read.owner->document, read.field->value);
    if (read.owner != &entity) {
      out = i18n::format("lsp.hover.from-metric", i18n::arg("value", out), i18n::arg("metric", read.owner->name));
    }
    return out;
  }
  const model::FieldSlot& slot = entity.slot(id);
  if (slot.field && entity.document) {
    return i18n::format("lsp.hover.invalid", i18n::arg("value", value_string(*entity.document, slot.field->value)));
  }
  return std::nullopt;
}

std::string string_field(const Entity& entity, FieldId id) {
  const model::FieldSlot& slot = entity.slot(id);
  if (!slot.field || slot.field->value.kind != syntax::ValueKind::String) return {};
  return std::string(slot.field->value.text());
}

std::string title_of(const Entity& entity) {
  std::string title = string_field(entity, FieldId::Title);
  if (title.empty()) title = string_field(entity, FieldId::Name);
  return title;
}

std::string describe_owner(const Entity& owner) {
  std::string out = "@" + std::string(owner.name);
  std::vector<std::string> parts;
  if (auto name = string_field(owner, FieldId::Name); !name.empty()) parts.push_back(name);
  if (auto function = field_display(owner, FieldId::Function)) parts.push_back(*function);
  parts.insert(parts.begin(), std::string(syntax::keyword(owner.kind)));
  out += " (";
  for (std::size_t i = 0; i < parts.size(); ++i) out += (i ? ", " : "") + parts[i];
  return out + ")";
}

std::string rollup_chain(const Entity& kpi) {
  std::string out = "`" + std::string(kpi.name) + "`";
  std::set<const Entity*> seen{&kpi};
  const Entity* at = &kpi;
  for (;;) {
    const Entity* parent = at->slot(FieldId::Parent).ref;
    if (parent && parent->kind == DeclKind::Kpi) {
      out += " → `" + std::string(parent->name) + "`";
      if (auto level = field_display(*parent, FieldId::Level)) out += " (" + *level + ")";
      if (!seen.insert(parent).second) return i18n::format("lsp.hover.chain-cycle", i18n::arg("chain", out));
      at = parent;
      continue;
    }
    if (at->slot(FieldId::Parent).field && !parent) return i18n::format("lsp.hover.chain-unresolved", i18n::arg("chain", out));
    const Entity* objective = at->slot(FieldId::Objective).ref;
    if (objective) {
      out += " → objective `" + std::string(objective->name) + "`";
      if (auto title = title_of(*objective); !title.empty()) out += " “" + title + "”";
      return out;
    }
    return i18n::format("lsp.hover.chain-no-objective", i18n::arg("chain", out));
  }
}

std::string describe_entity(const FeatureContext& context, const Entity& entity) {
  std::string out = "**" + std::string(syntax::keyword(entity.kind)) + "** `" + std::string(entity.name) + "`";
  if (auto title = title_of(entity); !title.empty()) out += " — " + title;
  if (entity.stdlib) out += "\n\n" + i18n::format("lsp.hover.stdlib-metric", i18n::arg("module", module_of(entity)));
  if (entity.duplicate) out += fmt::format("\n\n{}", i18n::text("lsp.hover.second-definition"));
  out += "\n";
  const std::string_view none = i18n::text("lsp.hover.none");
  const auto line = [&](std::string_view label, const std::optional<std::string>& value) {
    if (value) out += "\n- **" + std::string(label) + ":** " + *value;
  };
  switch (entity.kind) {
    case DeclKind::Kpi: {
      line("level", field_display(entity, FieldId::Level));
      if (const Entity* owner = entity.slot(FieldId::Owner).ref) {
        line("owner", describe_owner(*owner));
      } else {
        line("owner", entity.slot(FieldId::Owner).field
                          ? i18n::format("lsp.hover.unresolved",
                                         i18n::arg("value", field_display(entity, FieldId::Owner).value_or("?")))
                          : std::string(none));
      }
      line("source", field_display(entity, FieldId::Source).value_or(std::string(none)));
      if (const Entity* metric = entity.slot(FieldId::Metric).ref) {
        std::string m = "`" + std::string(metric->name) + "`";
        if (metric->stdlib) m += " (" + module_of(*metric) + ")";
        line("metric", m);
      } else {
        line("metric", field_display(entity, FieldId::Metric));
      }
      line("unit", field_display(entity, FieldId::Unit));
      line("aggregation", field_display(entity, FieldId::Aggregation));
      line("indicator", field_display(entity, FieldId::Indicator));
      line("function", field_display(entity, FieldId::Function));
      line("target", field_display(entity, FieldId::Target).value_or(std::string(none)));
      out += fmt::format("\n\n**{}:** {}", i18n::text("lsp.hover.rolls-up"), rollup_chain(entity));
      if (!entity.children().empty()) {
        out += fmt::format("\n\n**{}:** ", i18n::text("lsp.hover.children"));
        for (std::size_t i = 0; i < entity.children().size(); ++i) {
          out += (i ? ", `" : "`") + std::string(entity.children()[i]->name) + "`";
        }
      }
      break;
    }
    case DeclKind::Objective: {
      if (const Entity* owner = entity.slot(FieldId::Owner).ref) line("owner", describe_owner(*owner));
      line("horizon", field_display(entity, FieldId::Horizon));
      line("review", field_display(entity, FieldId::Review));
      std::string kpis;
      for (std::size_t i = 0; i < entity.kpis().size(); ++i) {
        kpis += (i ? ", `" : "`") + std::string(entity.kpis()[i]->name) + "`";
      }
      line("KPIs", kpis.empty() ? std::string(none) : kpis);
      break;
    }
    case DeclKind::Person:
    case DeclKind::Team: {
      line("name", field_display(entity, FieldId::Name));
      line("email", field_display(entity, FieldId::Email));
      line("function", field_display(entity, FieldId::Function));
      if (entity.kind == DeclKind::Team) line("members", field_display(entity, FieldId::Members));
      std::string owned;
      for (std::size_t i = 0; i < entity.owned().size(); ++i) {
        owned += (i ? ", `" : "`") + std::string(entity.owned()[i]->name) + "`";
      }
      if (!owned.empty()) line(i18n::text("lsp.hover.owns"), owned);
      break;
    }
    case DeclKind::Metric: {
      line("unit", field_display(entity, FieldId::Unit));
      line("aggregation", field_display(entity, FieldId::Aggregation));
      line("indicator", field_display(entity, FieldId::Indicator));
      line("category", field_display(entity, FieldId::Category));
      line("vanity", field_display(entity, FieldId::Vanity));
      break;
    }
    case DeclKind::Experiment: {
      line("hypothesis", field_display(entity, FieldId::Hypothesis));
      line("kpi", field_display(entity, FieldId::Kpi));
      line("stop", field_display(entity, FieldId::Stop));
      break;
    }
    case DeclKind::Use: break;
  }
  (void)context;
  return out;
}

std::string describe_rule(const FeatureContext& context, const Diagnostic& d) {
  std::string out = "**" + d.code + "** `" + d.rule + "` (" + std::string(to_string(d.severity)) + ")\n\n" + d.message;
  // to_string(severity): the word kpilint.toml uses for it.
  const rules::RulePack* pack = context.snapshot.pack();
  const rules::RuleInfo* info = pack ? pack->find(d.code) : nullptr;
  if (!info) info = rules::RulePack::builtin().find(d.code);
  if (info) {
    if (!info->localized_summary().empty()) out += "\n\n_" + info->localized_summary() + "_";
    if (!info->localized_rationale().empty()) out += "\n\n" + info->localized_rationale();
  }
  if (!d.help.empty()) out += fmt::format("\n\n**{}:** {}", i18n::text("render.label.help"), d.help);
  return out;
}

// ---- completion helpers ---------------------------------------------------

json completion_item(std::string label, int kind, std::string detail, std::string new_text, Range range,
                     std::string filter = {}) {
  json item{{"label", label},
            {"kind", kind},
            {"textEdit", {{"range", to_json(range)}, {"newText", std::move(new_text)}}}};
  if (!detail.empty()) item["detail"] = std::move(detail);
  if (!filter.empty()) item["filterText"] = std::move(filter);
  return item;
}

struct Token {
  enum Kind { Ident, String, At, LBrack, RBrack, Comma, Colon, LBrace, RBrace, Semi, Other } kind;
  std::uint32_t begin, end;
};

std::vector<Token> tokenize(std::string_view text, std::uint32_t base) {
  std::vector<Token> tokens;
  std::size_t i = 0;
  const auto push = [&](Token::Kind kind, std::size_t b, std::size_t e) {
    tokens.push_back({kind, base + static_cast<std::uint32_t>(b), base + static_cast<std::uint32_t>(e)});
  };
  while (i < text.size()) {
    const char c = text[i];
    if (c == ' ' || c == '\t' || c == '\r') {
      ++i;
    } else if (c == '#') {
      break;
    } else if (c == '"') {
      std::size_t j = i + 1;
      while (j < text.size() && text[j] != '"') j += text[j] == '\\' ? 2 : 1;
      j = std::min(j + 1, text.size());
      push(Token::String, i, j);
      i = j;
    } else if (is_ident_start(c)) {
      std::size_t j = i;
      while (j < text.size() && is_ident_char(text[j])) ++j;
      push(Token::Ident, i, j);
      i = j;
    } else {
      Token::Kind kind = Token::Other;
      switch (c) {
        case '@': kind = Token::At; break;
        case '[': kind = Token::LBrack; break;
        case ']': kind = Token::RBrack; break;
        case ',': kind = Token::Comma; break;
        case ':': kind = Token::Colon; break;
        case '{': kind = Token::LBrace; break;
        case '}': kind = Token::RBrace; break;
        case ';': kind = Token::Semi; break;
        default: break;
      }
      if (kind != Token::Other) {
        push(kind, i, i + 1);
        ++i;
      } else {
        std::size_t j = i + 1;
        while (j < text.size() && std::string_view(" \t\r#\"@[],:{};").find(text[j]) == std::string_view::npos) ++j;
        push(Token::Other, i, j);
        i = j;
      }
    }
  }
  return tokens;
}

// Where the cursor is, from the raw text: the file may not parse.
struct CursorContext {
  bool in_string = false;
  bool in_comment = false;
  int depth = 0;                      // brace depth
  std::optional<DeclKind> decl_kind;  // the declaration whose body the cursor is in
  std::string_view decl_name;
  std::uint32_t body_start = 0;       // just after its '{'
  std::uint32_t line_start = 0;
};

CursorContext scan_to(std::string_view text, std::uint32_t offset) {
  CursorContext out;
  std::string_view recent[2];  // the last two identifiers at depth 0
  std::size_t i = 0;
  while (i < offset) {
    const char c = text[i];
    if (c == '\n') {
      out.line_start = static_cast<std::uint32_t>(i + 1);
      ++i;
    } else if (c == '#') {
      while (i < offset && text[i] != '\n') ++i;
      if (i >= offset) out.in_comment = true;
    } else if (c == '"') {
      std::size_t j = i + 1;
      while (j < offset && text[j] != '"' && text[j] != '\n') j += text[j] == '\\' ? 2 : 1;
      if (j >= offset) {
        out.in_string = true;
        break;
      }
      i = text[j] == '"' ? j + 1 : j;
    } else if (is_ident_start(c)) {
      std::size_t j = i;
      while (j < text.size() && is_ident_char(text[j])) ++j;
      const std::string_view word = text.substr(i, j - i);
      if (i == 0 || text[i - 1] == '\n') {
        // The parser recovers at a declaration keyword at the start of a line.
        std::size_t k = j;
        while (k < text.size() && (text[k] == ' ' || text[k] == '\t')) ++k;
        if (decl_kind_of(word) && (k >= text.size() || text[k] != ':')) {
          out.depth = 0;
          out.decl_kind.reset();
        }
      }
      if (out.depth == 0) {
        recent[0] = recent[1];
        recent[1] = word;
      }
      i = std::min<std::size_t>(j, offset > j ? j : offset);
      if (i < j) break;  // the cursor is inside this word
    } else {
      if (c == '{') {
        if (out.depth == 0) {
          out.decl_kind = decl_kind_of(recent[0]);
          out.decl_name = recent[1];
          out.body_start = static_cast<std::uint32_t>(i + 1);
        }
        ++out.depth;
      } else if (c == '}') {
        out.depth = std::max(0, out.depth - 1);
        if (out.depth == 0) out.decl_kind.reset();
      }
      ++i;
    }
  }
  return out;
}

// The field names written in a declaration body that starts at `from`, read
// from the raw text up to its closing brace (or the next declaration keyword
// at the start of a line, where the parser would recover).
std::set<std::string_view> written_fields(std::string_view text, std::size_t from) {
  std::set<std::string_view> out;
  int depth = 0;
  for (std::size_t i = from; i < text.size();) {
    const char c = text[i];
    if (c == '#') {
      while (i < text.size() && text[i] != '\n') ++i;
    } else if (c == '"') {
      ++i;
      while (i < text.size() && text[i] != '"' && text[i] != '\n') i += text[i] == '\\' ? 2 : 1;
      ++i;
    } else if (c == '{' || c == '[') {
      ++depth;
      ++i;
    } else if (c == ']') {
      depth = std::max(0, depth - 1);
      ++i;
    } else if (c == '}') {
      if (depth == 0) break;
      --depth;
      ++i;
    } else if (is_ident_start(c)) {
      std::size_t j = i;
      while (j < text.size() && is_ident_char(text[j])) ++j;
      std::size_t k = j;
      while (k < text.size() && (text[k] == ' ' || text[k] == '\t')) ++k;
      const std::string_view word = text.substr(i, j - i);
      const bool at_line_start = i == 0 || text[i - 1] == '\n';
      if (at_line_start && decl_kind_of(word) && (k >= text.size() || text[k] != ':')) break;
      if (depth == 0 && k < text.size() && text[k] == ':' && (i == 0 || text[i - 1] != '@')) out.insert(word);
      i = j;
    } else {
      ++i;
    }
  }
  return out;
}

std::vector<std::string_view> used_modules(const Document& document) {
  std::vector<std::string_view> modules;
  for (const auto& decl : document.tree.decls) {
    if (decl.kind == DeclKind::Use && decl.name().substr(0, 4) == "std.") modules.push_back(decl.name().substr(4));
  }
  return modules;
}

constexpr std::array<std::string_view, 10> kUnits = {"percent", "count", "ratio", "points", "currency",
                                                     "USD",     "EUR",   "BRL",   "GBP",    "days"};

}  // namespace

bool valid_declaration_name(std::string_view name) {
  if (name.empty() || !is_ident_start(name[0])) return false;
  if (!std::all_of(name.begin(), name.end(), is_ident_char)) return false;
  if (decl_kind_of(name) || name == "true" || name == "false") return false;
  return true;
}

json diagnostics_json(const FeatureContext& context, const Document& document) {
  json out = json::array();
  for (const Diagnostic* d : context.snapshot.diagnostics_of(&document)) {
    out.push_back(diagnostic_json(context, document, *d));
  }
  return out;
}

json hover(const FeatureContext& context, const Document& document, std::uint32_t offset) {
  std::vector<std::string> sections;
  std::optional<Span> span;
  if (const auto symbol = symbol_at(context, document, offset)) {
    span = symbol->span;
    if (symbol->entity) sections.push_back(describe_entity(context, *symbol->entity));
  }
  for (const Diagnostic* d : context.snapshot.diagnostics_of(&document)) {
    const Span s = d->location.span;
    if (s.contains(offset) || (s.empty() && s.begin == offset)) {
      sections.push_back(describe_rule(context, *d));
      if (!span) span = s;
    }
  }
  if (sections.empty()) return nullptr;
  std::string text;
  for (std::size_t i = 0; i < sections.size(); ++i) text += (i ? "\n\n---\n\n" : "") + sections[i];
  json out{{"contents", {{"kind", context.client.markdown_hover ? "markdown" : "plaintext"}, {"value", text}}}};
  if (span) out["range"] = to_json(range_in(context, document, *span));
  return out;
}

json definition(const FeatureContext& context, const Document& document, std::uint32_t offset) {
  const auto symbol = symbol_at(context, document, offset);
  if (!symbol || !symbol->entity || !symbol->entity->decl) return nullptr;
  const Entity& target = *symbol->entity;
  if (!is_workspace_document(context, target.document)) return nullptr;  // a stdlib metric: no file
  return location_json(context, *target.document, target.decl->name_span);
}

json references(const FeatureContext& context, const Document& document, std::uint32_t offset,
                bool include_declaration) {
  const auto symbol = symbol_at(context, document, offset);
  if (!symbol || !symbol->entity) return nullptr;
  const Entity* target = symbol->entity;
  json out = json::array();
  if (include_declaration && target->decl && is_workspace_document(context, target->document)) {
    out.push_back(location_json(context, *target->document, target->decl->name_span));
  }
  for (const auto& reference : context.snapshot.model()->references()) {
    if (reference.target == target && reference.document) {
      out.push_back(location_json(context, *reference.document, reference.span));
    }
  }
  return out;
}

namespace {

int symbol_kind_of(DeclKind kind) {
  switch (kind) {
    case DeclKind::Use: return symbol_kind::Module;
    case DeclKind::Person: return symbol_kind::Object;
    case DeclKind::Team: return symbol_kind::Namespace;
    case DeclKind::Objective: return symbol_kind::Class;
    case DeclKind::Kpi: return symbol_kind::Variable;
    case DeclKind::Metric: return symbol_kind::Interface;
    case DeclKind::Experiment: return symbol_kind::Event;
  }
  return symbol_kind::Variable;
}

// "rev" finds online_revenue; "olr" too (a subsequence), as fuzzy pickers do.
bool fuzzy_contains(std::string_view name, std::string_view query) {
  const auto lower = [](char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; };
  std::size_t at = 0;
  for (const char c : name) {
    if (at < query.size() && lower(c) == lower(query[at])) ++at;
  }
  return at == query.size();
}

}  // namespace

json workspace_symbols(const FeatureContext& context, std::string_view query, std::size_t limit) {
  json out = json::array();
  const model::Model* model = context.snapshot.model();
  if (model == nullptr) return out;
  for (const auto& entity : model->entities()) {
    if (out.size() >= limit) break;
    if (entity->decl == nullptr || !is_workspace_document(context, entity->document)) continue;
    if (!fuzzy_contains(entity->name, query)) continue;
    const Span range{entity->decl->span.begin, std::max(entity->decl->span.end, entity->decl->name_span.end)};
    out.push_back({{"name", std::string(entity->name)},
                   {"kind", symbol_kind_of(entity->kind)},
                   {"containerName", std::string(syntax::keyword(entity->kind))},
                   {"location", location_json(context, *entity->document, range)}});
  }
  return out;
}

json document_symbols(const FeatureContext& context, const Document& document) {
  const auto& lines = document.source->lines();
  const auto clamp_into = [](Span inner, Span outer) {
    if (inner.begin < outer.begin || inner.end > outer.end || inner.begin > inner.end) return Span{outer.begin, outer.begin};
    return inner;
  };
  const auto detail_of = [&](const syntax::Value& value) {
    std::string text = value_string(document, value);
    if (text.size() > 80) text = text.substr(0, 77) + "...";
    return text;
  };
  json out = json::array();
  for (const auto& decl : document.tree.decls) {
    const std::string name = decl.name().empty() ? std::string(syntax::keyword(decl.kind)) : std::string(decl.name());
    const Span range{decl.span.begin, std::max(decl.span.end, decl.name_span.end)};
    if (context.client.hierarchical_symbols) {
      json children = json::array();
      for (const auto& field : decl.fields) {
        if (field.name().empty()) continue;
        const Span field_range{field.span().begin, std::max(field.span().end, field.name_span.end)};
        children.push_back({{"name", std::string(field.name())},
                            {"detail", detail_of(field.value)},
                            {"kind", symbol_kind::Field},
                            {"range", to_json(to_range(lines, field_range, context.encoding))},
                            {"selectionRange", to_json(to_range(lines, clamp_into(field.name_span, field_range), context.encoding))}});
      }
      std::string detail(syntax::keyword(decl.kind));
      out.push_back({{"name", name},
                     {"detail", detail},
                     {"kind", symbol_kind_of(decl.kind)},
                     {"range", to_json(to_range(lines, range, context.encoding))},
                     {"selectionRange", to_json(to_range(lines, clamp_into(decl.name_span, range), context.encoding))},
                     {"children", std::move(children)}});
    } else {
      out.push_back({{"name", name},
                     {"kind", symbol_kind_of(decl.kind)},
                     {"location", location_json(context, document, range)}});
      for (const auto& field : decl.fields) {
        if (field.name().empty()) continue;
        out.push_back({{"name", std::string(field.name())},
                       {"kind", symbol_kind::Field},
                       {"containerName", name},
                       {"location", location_json(context, document, field.span())}});
      }
    }
  }
  return out;
}

json completion(const FeatureContext& context, const Document& document, std::uint32_t offset) {
  const std::string_view text = text_of(document);
  offset = std::min<std::uint32_t>(offset, static_cast<std::uint32_t>(text.size()));
  json items = json::array();
  const auto result = [&] { return json{{"isIncomplete", false}, {"items", std::move(items)}}; };
  const CursorContext cursor = scan_to(text, offset);
  if (cursor.in_string || cursor.in_comment) return result();

  const std::vector<Token> tokens = tokenize(text.substr(cursor.line_start, offset - cursor.line_start), cursor.line_start);
  // The word being typed (with its '@'), and the tokens before it.
  std::size_t before = tokens.size();
  std::uint32_t word_start = offset;
  bool has_at = false;
  if (before > 0 && tokens[before - 1].end == offset &&
      (tokens[before - 1].kind == Token::Ident || tokens[before - 1].kind == Token::At)) {
    --before;
    word_start = tokens[before].begin;
    has_at = tokens[before].kind == Token::At;
    if (!has_at && before > 0 && tokens[before - 1].kind == Token::At && tokens[before - 1].end == word_start) {
      --before;
      word_start = tokens[before].begin;
      has_at = true;
    }
  }
  const Range edit_range = to_range(document.source->lines(), {word_start, offset}, context.encoding);
  const bool after_colon = word_start > 0 && text[word_start - 1] == ':';
  const std::string lead = after_colon ? " " : "";

  // Top level: declaration keywords, or modules after `use`.
  if (cursor.depth == 0 || !cursor.decl_kind) {
    if (cursor.depth != 0) return result();
    if (before == 0 && !has_at) {
      for (const DeclKind kind : kDeclKinds) {
        const std::string keyword(syntax::keyword(kind));
        items.push_back(completion_item(keyword, completion_kind::Keyword, std::string(i18n::text("lsp.completion.declaration")),
                                        keyword + " ", edit_range));
      }
    } else if (tokens.size() >= 1 && text.substr(tokens[0].begin, tokens[0].end - tokens[0].begin) == "use") {
      const std::uint32_t from = tokens[0].end < offset ? tokens[0].end + 1 : offset;
      const Range range = to_range(document.source->lines(), {std::min(from, offset), offset}, context.encoding);
      for (const auto module : model::Stdlib::instance().module_names()) {
        const std::string name = "std." + std::string(module);
        items.push_back(completion_item(name, completion_kind::Module, std::string(i18n::text("lsp.completion.stdlib-module")), name, range));
      }
    }
    return result();
  }
  const DeclKind kind = *cursor.decl_kind;

  // The field whose value is being typed, if any: the last `name:` in this
  // line's segment (after the last `{` or `;`).
  std::size_t segment = 0;
  for (std::size_t k = 0; k < before; ++k) {
    if (tokens[k].kind == Token::LBrace || tokens[k].kind == Token::Semi) segment = k + 1;
  }
  std::optional<std::size_t> field_at;
  for (std::size_t k = segment; k + 1 < before; ++k) {
    if (tokens[k].kind == Token::Ident && tokens[k + 1].kind == Token::Colon) field_at = k;
  }

  const auto offer_fields = [&] {
    if (has_at) return;
    const std::set<std::string_view> present = written_fields(text, cursor.body_start);
    for (const FieldId id : model::fields_of(kind)) {
      const std::string_view name = model::field_name(id);
      if (present.count(name)) continue;
      items.push_back(completion_item(std::string(name), completion_kind::Field,
                                      i18n::format("lsp.completion.field", i18n::arg("keyword", syntax::keyword(kind))),
                                      std::string(name) + ": ",
                                      edit_range));
    }
  };
  if (!field_at) {
    offer_fields();
    return result();
  }
  const std::string_view field_name = text.substr(tokens[*field_at].begin, tokens[*field_at].end - tokens[*field_at].begin);
  const auto field_id = model::field_from_name(field_name);
  const model::FieldSpec* spec = field_id ? model::field_spec(kind, *field_id) : nullptr;
  std::vector<Token> value(tokens.begin() + static_cast<std::ptrdiff_t>(*field_at + 2),
                           tokens.begin() + static_cast<std::ptrdiff_t>(before));
  if (!spec) {
    if (!value.empty()) offer_fields();
    return result();
  }
  const auto count = [&](Token::Kind k) {
    return static_cast<std::size_t>(std::count_if(value.begin(), value.end(), [&](const Token& t) { return t.kind == k; }));
  };
  const auto offer_words = [&](std::span<const std::string_view> words, int item_kind, const std::string& detail) {
    if (has_at) return;
    for (const auto word : words) {
      items.push_back(completion_item(std::string(word), item_kind, detail, lead + std::string(word), edit_range));
    }
  };
  const auto offer_entities = [&](unsigned kinds, bool at_ref) {
    const model::Model* model = context.snapshot.model();
    if (!model) return;
    std::set<std::string_view> seen;
    for (const auto& entity : model->entities()) {
      if (entity->duplicate || !(kinds & model::kind_bit(entity->kind))) continue;
      if (spec->id == FieldId::Parent && entity->name == cursor.decl_name) continue;  // not its own parent
      if (!seen.insert(entity->name).second) continue;
      std::string label = at_ref ? "@" + std::string(entity->name) : std::string(entity->name);
      std::string detail(syntax::keyword(entity->kind));
      if (auto title = title_of(*entity); !title.empty()) detail += " — " + title;
      items.push_back(completion_item(label, completion_kind::Reference, detail, lead + label, edit_range, label));
    }
    if (kinds & model::kind_bit(DeclKind::Metric)) {  // the stdlib metrics of the modules this file uses
      const auto& stdlib = model::Stdlib::instance();
      for (const auto module : used_modules(document)) {
        for (const auto& stdlib_document : stdlib.documents()) {
          for (const auto& decl : stdlib_document->tree.decls) {
            if (decl.kind != DeclKind::Metric || !stdlib.find(module, decl.name()) || !seen.insert(decl.name()).second) continue;
            const Entity* metric = stdlib.find(module, decl.name());
            std::string detail = i18n::format("lsp.completion.stdlib-metric", i18n::arg("module", module));
            if (auto title = title_of(*metric); !title.empty()) detail += " — " + title;
            items.push_back(completion_item(std::string(decl.name()), completion_kind::Reference, detail,
                                            lead + std::string(decl.name()), edit_range));
          }
        }
      }
    }
  };
  const bool list_open = count(Token::LBrack) > count(Token::RBrack);
  switch (spec->type) {
    case model::FieldType::Enum:
      if (value.empty()) offer_words(model::enum_words(spec->enum_id), completion_kind::EnumMember, std::string(model::enum_name(spec->enum_id)));
      else offer_fields();
      break;
    case model::FieldType::EnumList:
      if (list_open || value.empty()) offer_words(model::enum_words(spec->enum_id), completion_kind::EnumMember, std::string(model::enum_name(spec->enum_id)));
      else offer_fields();
      break;
    case model::FieldType::Bool: {
      static constexpr std::array<std::string_view, 2> kBools = {"true", "false"};
      if (value.empty()) offer_words(kBools, completion_kind::Value, "boolean");
      else offer_fields();
      break;
    }
    case model::FieldType::Unit:
      if (value.empty()) offer_words(kUnits, completion_kind::Unit, std::string(i18n::text("lsp.completion.unit")));
      else offer_fields();
      break;
    case model::FieldType::Aggregation: {
      const std::size_t words = count(Token::Ident);
      if (words == 0) offer_words(model::enum_words(model::EnumId::AggregationMethod), completion_kind::EnumMember,
                                   std::string(model::enum_name(model::EnumId::AggregationMethod)));
      else if (words == 1) offer_words(model::enum_words(model::EnumId::Period), completion_kind::EnumMember,
                                        std::string(i18n::text("lsp.completion.period")));
      else offer_fields();
      break;
    }
    case model::FieldType::Ref:
      if (value.empty() && !has_at) offer_entities(spec->ref_kinds, false);
      else if (!value.empty()) offer_fields();
      break;
    case model::FieldType::AtRef:
      if (value.empty()) offer_entities(spec->ref_kinds, true);
      else offer_fields();
      break;
    case model::FieldType::AtRefList:
      if (list_open || value.empty()) offer_entities(spec->ref_kinds, true);
      else offer_fields();
      break;
    case model::FieldType::String:
    case model::FieldType::When:
      if (!value.empty()) offer_fields();
      break;
    case model::FieldType::Target:
      break;  // free-form: nothing sensible to offer
  }
  return result();
}

json prepare_rename(const FeatureContext& context, const Document& document, std::uint32_t offset) {
  const auto symbol = symbol_at(context, document, offset);
  if (!symbol || !symbol->entity) return nullptr;
  if (symbol->entity->stdlib) throw ResponseError(error_code::RequestFailed, std::string(i18n::text("lsp.rename.stdlib")));
  return json{{"range", to_json(range_in(context, document, symbol->span))},
              {"placeholder", std::string(symbol->entity->name)}};
}

json rename(const FeatureContext& context, const Document& document, std::uint32_t offset, const std::string& new_name) {
  const auto symbol = symbol_at(context, document, offset);
  if (!symbol || !symbol->entity) throw ResponseError(error_code::RequestFailed, std::string(i18n::text("lsp.rename.nothing")));
  const Entity& target = *symbol->entity;
  if (target.stdlib) throw ResponseError(error_code::RequestFailed, std::string(i18n::text("lsp.rename.stdlib")));
  if (!valid_declaration_name(new_name)) {
    throw ResponseError(error_code::InvalidParams, i18n::format("lsp.rename.invalid", i18n::arg("name", new_name)));
  }
  if (new_name == target.name) return json{{"changes", json::object()}};
  if (const Entity* existing = context.snapshot.model()->find(new_name); existing && existing != &target) {
    throw ResponseError(error_code::RequestFailed, i18n::format("lsp.rename.exists", i18n::arg("name", new_name)));
  }
  std::map<std::string, json> changes;
  const auto add = [&](const Document& where, Span span) {
    changes[context.uri_of(where.absolute_path)].push_back(
        {{"range", to_json(range_in(context, where, span))}, {"newText", new_name}});
  };
  if (target.decl && is_workspace_document(context, target.document)) add(*target.document, target.decl->name_span);
  for (const auto& reference : context.snapshot.model()->references()) {
    if (reference.target == &target && reference.document) add(*reference.document, reference.span);
  }
  json out = json::object();
  for (auto& [uri, edits] : changes) out[uri] = std::move(edits);
  return json{{"changes", std::move(out)}};
}

namespace {

bool silenceable(std::string_view code) {
  static constexpr std::array<std::string_view, 6> kFixed = {"KPI001", "KPI002", "KPI003", "KPI004", "KPI005", "KPI007"};
  return std::find(kFixed.begin(), kFixed.end(), code) == kFixed.end() && code != "KPI008";
}

// Fields whose absence a rule reports, and the skeleton to insert.
struct Skeleton {
  std::string_view code;
  FieldId field;
  std::string_view text;
};
constexpr Skeleton kSkeletons[] = {
    {"KPI101", FieldId::Owner, "owner: @"},         {"KPI102", FieldId::Source, "source: \"\""},
    {"KPI103", FieldId::Aggregation, "aggregation: "}, {"KPI104", FieldId::Parent, "parent: "},
    {"KPI105", FieldId::Objective, "objective: "},   {"KPI118", FieldId::Review, "review: "},
    {"KPI121", FieldId::Kpi, "kpi: "},               {"KPI121", FieldId::Hypothesis, "hypothesis: \"\""},
    {"KPI121", FieldId::Stop, "stop: \"\""},         {"KPI123", FieldId::Title, "title: \"\""},
};

std::uint32_t line_start_of(std::string_view text, std::uint32_t offset) {
  const std::size_t newline = offset == 0 ? std::string_view::npos : text.rfind('\n', offset - 1);
  return newline == std::string_view::npos ? 0 : static_cast<std::uint32_t>(newline + 1);
}

std::string indentation_at(std::string_view text, std::uint32_t line_start) {
  std::uint32_t end = line_start;
  while (end < text.size() && (text[end] == ' ' || text[end] == '\t')) ++end;
  return std::string(text.substr(line_start, end - line_start));
}

json single_edit(const FeatureContext& context, const Document& document, Span span, std::string new_text) {
  return json{{"changes", {{context.uri_of(document.absolute_path),
                            json::array({{{"range", to_json(range_in(context, document, span))}, {"newText", std::move(new_text)}}})}}}};
}

// Where and what to insert so that `line` becomes a new field of `decl`.
std::optional<std::pair<std::uint32_t, std::string>> field_insertion(std::string_view text, const syntax::Decl& decl,
                                                                      std::string_view line) {
  if (decl.span.end == 0 || decl.span.end > text.size() || text[decl.span.end - 1] != '}') return std::nullopt;
  const std::uint32_t close = decl.span.end - 1;
  const std::uint32_t close_line = line_start_of(text, close);
  const std::string_view before_close = text.substr(close_line, close - close_line);
  const bool own_line = std::all_of(before_close.begin(), before_close.end(), [](char c) { return c == ' ' || c == '\t'; });
  if (own_line && close_line > decl.span.begin) {
    std::string indent = indentation_at(text, close_line) + "  ";
    if (!decl.fields.empty()) indent = indentation_at(text, line_start_of(text, decl.fields.front().span().begin));
    return std::make_pair(close_line, indent + std::string(line) + "\n");
  }
  const bool space_before = close > 0 && (text[close - 1] == ' ' || text[close - 1] == '\t');
  return std::make_pair(close, std::string(space_before ? "" : " ") + std::string(line) + " ");
}

}  // namespace

json code_actions(const FeatureContext& context, const Document& document, Span range) {
  const std::string_view text = text_of(document);
  json out = json::array();
  std::set<std::string> offered;  // one ignore action per code and declaration
  for (const Diagnostic* d : context.snapshot.diagnostics_of(&document)) {
    const Span s = d->location.span;
    const bool overlaps = (s.begin < range.end && range.begin < s.end) || s.contains(range.begin) ||
                          (range.empty() && (s.end == range.begin || s.begin == range.begin)) ||
                          (s.empty() && range.begin <= s.begin && s.begin <= range.end);
    if (!overlaps) continue;
    const json diagnostic = diagnostic_json(context, document, *d);

    // The library's own fixes ("did you mean").
    for (std::size_t i = 0; i < d->fixes.size(); ++i) {
      const Fix& fix = d->fixes[i];
      std::map<std::string, json> changes;
      bool usable = true;
      for (const TextEdit& edit : fix.edits) {
        const Document* where = context.snapshot.document_of(edit.location.file);
        if (!where) {
          usable = false;
          break;
        }
        changes[context.uri_of(where->absolute_path)].push_back(
            {{"range", to_json(range_in(context, *where, edit.location.span))}, {"newText", edit.new_text}});
      }
      if (!usable || changes.empty()) continue;
      json edit_changes = json::object();
      for (auto& [uri, edits] : changes) edit_changes[uri] = std::move(edits);
      out.push_back({{"title", fix.title},
                     {"kind", "quickfix"},
                     {"diagnostics", json::array({diagnostic})},
                     {"isPreferred", i == 0},
                     {"edit", {{"changes", std::move(edit_changes)}}}});
    }

    const syntax::Decl* decl = decl_at(document, s.begin);
    if (!decl) continue;

    // A missing field: insert its skeleton.
    for (const Skeleton& skeleton : kSkeletons) {
      if (skeleton.code != d->code) continue;
      const std::string_view name = model::field_name(skeleton.field);
      if (!model::field_spec(decl->kind, skeleton.field)) continue;
      if (std::any_of(decl->fields.begin(), decl->fields.end(), [&](const auto& f) { return f.name() == name; })) continue;
      if (const auto insertion = field_insertion(text, *decl, skeleton.text)) {
        out.push_back({{"title", i18n::format("lsp.action.add-field", i18n::arg("text", skeleton.text))},
                       {"kind", "quickfix"},
                       {"diagnostics", json::array({diagnostic})},
                       {"edit", single_edit(context, document, {insertion->first, insertion->first}, insertion->second)}});
      }
    }

    // An ignore comment above the declaration (or added to the one there).
    if (!silenceable(d->code) || !offered.insert(d->code + "@" + std::to_string(decl->span.begin)).second) continue;
    const std::uint32_t decl_line = line_start_of(text, decl->span.begin);
    std::optional<std::pair<Span, std::string>> insertion;
    if (decl_line > 0) {
      const std::uint32_t previous = line_start_of(text, decl_line - 1);
      std::string_view above = text.substr(previous, decl_line - 1 - previous);
      if (!above.empty() && above.back() == '\r') above.remove_suffix(1);
      const std::size_t marker = above.find("# kpilint: ignore ");
      if (marker != std::string_view::npos && above.substr(0, marker).find_first_not_of(" \t") == std::string_view::npos) {
        std::size_t end = above.find(" --", marker);
        if (end == std::string_view::npos) end = above.size();
        while (end > marker && (above[end - 1] == ' ' || above[end - 1] == '\t')) --end;
        const auto at = static_cast<std::uint32_t>(previous + end);
        insertion = std::make_pair(Span{at, at}, ", " + d->code);
      }
    }
    if (!insertion) {
      insertion = std::make_pair(Span{decl_line, decl_line},
                                 indentation_at(text, decl_line) + "# kpilint: ignore " + d->code + "\n");
    }
    const std::string title = decl->name().empty()
                                  ? i18n::format("lsp.action.ignore-this-declaration", i18n::arg("code", d->code))
                                  : i18n::format("lsp.action.ignore-declaration", i18n::arg("code", d->code),
                                                 i18n::arg("name", decl->name()));
    out.push_back({{"title", title},
                   {"kind", "quickfix"},
                   {"diagnostics", json::array({diagnostic})},
                   {"edit", single_edit(context, document, insertion->first, insertion->second)}});
    if (offered.insert("file:" + d->code).second) {
      out.push_back({{"title", i18n::format("lsp.action.ignore-file", i18n::arg("code", d->code))},
                     {"kind", "quickfix"},
                     {"diagnostics", json::array({diagnostic})},
                     {"edit", single_edit(context, document, {0, 0}, "# kpilint: ignore-file " + d->code + "\n")}});
    }
  }
  return out;
}

json formatting(const FeatureContext& context, const Document& document) {
  const std::string_view text = text_of(document);
  const format::FormatResult formatted = format::format_text(text);
  if (!formatted.ok) {
    throw ResponseError(error_code::RequestFailed,
                        i18n::format("lsp.format.syntax-error", i18n::arg("line", formatted.error_line),
                                     i18n::arg("message", formatted.error_message)));
  }
  const std::string& after = formatted.output;
  if (after == text) return json::array();
  // One edit over the differing lines, so the cursor elsewhere stays put.
  std::size_t prefix = 0;
  while (prefix < text.size() && prefix < after.size() && text[prefix] == after[prefix]) ++prefix;
  prefix = line_start_of(text, static_cast<std::uint32_t>(prefix));
  std::size_t suffix = 0;
  while (suffix < text.size() - prefix && suffix < after.size() - prefix &&
         text[text.size() - 1 - suffix] == after[after.size() - 1 - suffix]) {
    ++suffix;
  }
  // Keep whole lines at the end too: back off to just after a line break.
  while (suffix > 0 && text[text.size() - suffix - 1] != '\n') --suffix;
  const Span span{static_cast<std::uint32_t>(prefix), static_cast<std::uint32_t>(text.size() - suffix)};
  const std::string replacement = after.substr(prefix, after.size() - suffix - prefix);
  return json::array({{{"range", to_json(range_in(context, document, span))}, {"newText", replacement}}});
}

}  // namespace kpilint::lsp
