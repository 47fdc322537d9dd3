#include "rules/pack_codec.hpp"

#include <cstdint>
#include <cstring>
#include <memory>
#include <type_traits>

#include "base/embedded.hpp"
#include "base/fnv1a.hpp"
#include "rules/rule.hpp"

namespace kpilint::rules {

namespace {

constexpr std::string_view kMagic = "KPIRULES";
constexpr std::uint32_t kVersion = 1;  // bump on any change to what is written below

// Encoding is the inverse of Reader, field for field, in the same order.
class Writer {
 public:
  template <typename T>
  void raw(const T& value) {
    static_assert(std::is_trivially_copyable_v<T> && !std::is_same_v<T, bool>);
    out.append(reinterpret_cast<const char*>(&value), sizeof value);
  }
  void flag(bool b) { raw(static_cast<std::uint8_t>(b ? 1 : 0)); }
  void size(std::size_t n) { raw(static_cast<std::uint32_t>(n)); }
  void string(std::string_view s) {
    size(s.size());
    out.append(s);
  }
  // A view into the rule's file, as an offset and a length.
  void view(std::string_view v) {
    if (v.empty()) {
      raw(std::uint32_t{0});
      raw(std::uint32_t{0});
      return;
    }
    const char* begin = file.data();
    if (v.data() < begin || v.data() + v.size() > begin + file.size()) {
      ok = false;
      return;
    }
    raw(static_cast<std::uint32_t>(v.data() - begin));
    raw(static_cast<std::uint32_t>(v.size()));
  }
  template <typename T, typename Each>
  void list(const std::vector<T>& items, Each each) {
    size(items.size());
    for (const T& item : items) each(item);
  }

  std::string out;
  std::string_view file;  // the text of the rule being written
  bool ok = true;
};

class Reader {
 public:
  explicit Reader(std::string_view bytes) : in_(bytes) {}

  // Integers, doubles, enums (any value of their underlying type is one)
  // and structs of those; never a bool, whose other byte values are UB.
  template <typename T>
  T raw() {
    static_assert(std::is_trivially_copyable_v<T> && !std::is_same_v<T, bool>);
    T value{};
    if (in_.size() < sizeof value) {
      ok = false;
      return value;
    }
    std::memcpy(&value, in_.data(), sizeof value);
    in_.remove_prefix(sizeof value);
    return value;
  }
  bool flag() {
    const auto b = raw<std::uint8_t>();
    if (b > 1) ok = false;
    return b == 1;
  }
  std::size_t size() {
    const auto n = raw<std::uint32_t>();
    if (n > in_.size() * 8 + 64) ok = false;  // more elements than bytes left: not ours
    return ok ? n : 0;
  }
  std::string string() {
    const std::size_t n = size();
    if (n > in_.size()) {
      ok = false;
      return {};
    }
    std::string s(in_.substr(0, n));
    in_.remove_prefix(n);
    return s;
  }
  std::string_view view() {
    const auto offset = raw<std::uint32_t>();
    const auto length = raw<std::uint32_t>();
    if (length == 0) return {};
    if (std::size_t{offset} + length > file.size()) {
      ok = false;
      return {};
    }
    return file.substr(offset, length);
  }
  template <typename T, typename Each>
  void list(std::vector<T>& items, Each each) {
    const std::size_t n = size();
    items.clear();
    items.reserve(n);
    for (std::size_t i = 0; i < n && ok; ++i) items.push_back(each());
  }
  bool at_end() const { return in_.empty(); }

  std::string_view file;
  bool ok = true;

 private:
  std::string_view in_;
};

// ---- one function per type, writing and reading the same fields in order

void put(Writer& w, const Type& t) {
  w.raw(t.base);
  w.raw(t.enum_id);
  w.raw(t.ref_kinds);
  w.flag(t.list_of_refs);
}
Type get_type(Reader& r) {
  Type t;
  t.base = r.raw<TypeBase>();
  t.enum_id = r.raw<model::EnumId>();
  t.ref_kinds = r.raw<unsigned>();
  t.list_of_refs = r.flag();
  return t;
}

void put(Writer& w, const Expr& e) {
  w.raw(e.op);
  w.raw(e.span);
  w.list(e.args, [&](ExprId id) { w.raw(id); });
  w.raw(e.lit);
  w.string(e.text);
  w.raw(e.number);
  w.raw(e.date);
  w.flag(e.boolean);
  w.flag(e.has_interpolation);
  w.list(e.names, [&](std::string_view v) { w.view(v); });
  w.list(e.name_spans, [&](Span s) { w.raw(s); });
  w.list(e.steps, [&](const Step& s) {
    w.raw(s.kind);
    w.raw(s.field);
    w.raw(s.field_type);
    w.flag(s.inheritable);
  });
  w.raw(e.cmp);
  w.raw(e.agg);
  w.raw(e.relation);
  w.view(e.relation_name);
  w.raw(e.relation_span);
  w.raw(e.element_kinds);
  w.view(e.func_name);
  w.raw(e.func_span);
  w.raw(e.func);
  w.raw(e.slot);
  w.string(e.option_name);
  put(w, e.type);
  w.flag(e.checked);
}
Expr get_expr(Reader& r) {
  Expr e;
  e.op = r.raw<ExprOp>();
  e.span = r.raw<Span>();
  r.list(e.args, [&] { return r.raw<ExprId>(); });
  e.lit = r.raw<LitKind>();
  e.text = r.string();
  e.number = r.raw<double>();
  e.date = r.raw<std::int32_t>();
  e.boolean = r.flag();
  e.has_interpolation = r.flag();
  r.list(e.names, [&] { return r.view(); });
  r.list(e.name_spans, [&] { return r.raw<Span>(); });
  r.list(e.steps, [&] {
    Step s;
    s.kind = r.raw<StepKind>();
    s.field = r.raw<model::FieldId>();
    s.field_type = r.raw<model::FieldType>();
    s.inheritable = r.flag();
    return s;
  });
  e.cmp = r.raw<CmpOp>();
  e.agg = r.raw<AggOp>();
  e.relation = r.raw<Relation>();
  e.relation_name = r.view();
  e.relation_span = r.raw<Span>();
  e.element_kinds = r.raw<unsigned>();
  e.func_name = r.view();
  e.func_span = r.raw<Span>();
  e.func = r.raw<Func>();
  e.slot = r.raw<int>();
  e.option_name = r.string();
  e.type = get_type(r);
  e.checked = r.flag();
  return e;
}

void put(Writer& w, const Template& t) {
  w.list(t.parts, [&](const TemplatePart& p) {
    w.string(p.text);
    w.raw(p.expr);
  });
  w.raw(t.span);
  w.flag(t.present);
}
Template get_template(Reader& r) {
  Template t;
  r.list(t.parts, [&] {
    TemplatePart p;
    p.text = r.string();
    p.expr = r.raw<ExprId>();
    return p;
  });
  t.span = r.raw<Span>();
  t.present = r.flag();
  return t;
}

void put(Writer& w, const RuleInfo& info) {
  w.string(info.code);
  w.string(info.name);
  w.raw(info.default_severity);
  w.string(info.summary);
  w.string(info.rationale);
  w.string(info.summary_pt);
  w.string(info.rationale_pt);
  w.list(info.examples, [&](const RuleExample& x) {
    w.string(x.title);
    w.string(x.text);
    w.flag(x.fails);
  });
  w.flag(info.builtin_language);
  w.flag(info.configurable);
}
RuleInfo get_info(Reader& r) {
  RuleInfo info;
  info.code = r.string();
  info.name = r.string();
  info.default_severity = r.raw<Severity>();
  info.summary = r.string();
  info.rationale = r.string();
  info.summary_pt = r.string();
  info.rationale_pt = r.string();
  r.list(info.examples, [&] {
    RuleExample x;
    x.title = r.string();
    x.text = r.string();
    x.fails = r.flag();
    return x;
  });
  info.builtin_language = r.flag();
  info.configurable = r.flag();
  return info;
}

void put(Writer& w, const Rule& rule) {
  put(w, rule.info);
  w.raw(rule.span);
  w.raw(rule.code_span);
  w.raw(rule.name_span);
  w.flag(rule.has_severity);
  w.view(rule.severity_name);
  w.raw(rule.severity_span);
  w.list(rule.kinds, [&](syntax::DeclKind k) { w.raw(k); });
  w.list(rule.kind_spans, [&](Span s) { w.raw(s); });
  w.list(rule.kind_names, [&](std::string_view v) { w.view(v); });
  w.flag(rule.has_for);
  w.raw(rule.for_span);
  w.raw(rule.where);
  w.raw(rule.require);
  w.raw(rule.require_span);
  w.flag(rule.at.has_value());
  w.raw(rule.at.value_or(model::FieldId::Name));
  w.view(rule.at_name);
  w.raw(rule.at_span);
  put(w, rule.message);
  put(w, rule.help);
  put(w, rule.message_pt);
  put(w, rule.help_pt);
  w.flag(rule.has_builtin_flag);
  w.list(rule.exprs, [&](const Expr& e) { put(w, e); });
  w.list(rule.doc_spans, [&](Span s) { w.raw(s); });
}
Rule get_rule(Reader& r, const SourceFile* file) {
  Rule rule;
  rule.file = file;
  rule.info = get_info(r);
  rule.span = r.raw<Span>();
  rule.code_span = r.raw<Span>();
  rule.name_span = r.raw<Span>();
  rule.has_severity = r.flag();
  rule.severity_name = r.view();
  rule.severity_span = r.raw<Span>();
  r.list(rule.kinds, [&] { return r.raw<syntax::DeclKind>(); });
  r.list(rule.kind_spans, [&] { return r.raw<Span>(); });
  r.list(rule.kind_names, [&] { return r.view(); });
  rule.has_for = r.flag();
  rule.for_span = r.raw<Span>();
  rule.where = r.raw<ExprId>();
  rule.require = r.raw<ExprId>();
  rule.require_span = r.raw<Span>();
  const bool has_at = r.flag();
  const auto at = r.raw<model::FieldId>();
  if (has_at) rule.at = at;
  rule.at_name = r.view();
  rule.at_span = r.raw<Span>();
  rule.message = get_template(r);
  rule.help = get_template(r);
  rule.message_pt = get_template(r);
  rule.help_pt = get_template(r);
  rule.has_builtin_flag = r.flag();
  r.list(rule.exprs, [&] { return get_expr(r); });
  r.list(rule.doc_spans, [&] { return r.raw<Span>(); });
  return rule;
}

}  // namespace

struct PackCodec {
  static std::string encode(const RulePack& pack) {
    Writer w;
    w.out.append(kMagic);
    w.raw(kVersion);
    w.list(pack.files_, [&](const std::shared_ptr<const SourceFile>& file) {
      w.string(file->path);
      w.raw(fnv1a(file->text));
    });
    w.raw(pack.slots_);
    w.list(pack.rules_, [&](const std::shared_ptr<const Rule>& rule) {
      std::size_t index = 0;
      while (index < pack.files_.size() && pack.files_[index].get() != rule->file) ++index;
      if (index == pack.files_.size()) w.ok = false;
      w.size(index);
      w.file = rule->file != nullptr ? rule->file->text : std::string_view();
      put(w, *rule);
    });
    return w.ok ? std::move(w.out) : std::string();
  }

  static std::optional<RulePack> decode(std::string_view bytes) {
    if (bytes.substr(0, kMagic.size()) != kMagic) return std::nullopt;
    Reader r(bytes.substr(kMagic.size()));
    if (r.raw<std::uint32_t>() != kVersion) return std::nullopt;
    RulePack pack;
    // The rule files are the embedded ones, unchanged since the bytes were made.
    const std::size_t files = r.size();
    for (std::size_t i = 0; i < files && r.ok; ++i) {
      const std::string path = r.string();
      const auto hash = r.raw<std::uint64_t>();
      const embedded::EmbeddedFile* found = nullptr;
      for (const auto& file : embedded::builtin_rule_files()) {
        if (path == "rules/" + std::string(file.name)) found = &file;
      }
      if (found == nullptr || fnv1a(found->text) != hash) return std::nullopt;
      pack.files_.push_back(std::make_shared<const SourceFile>(path, std::string(found->text)));
    }
    pack.slots_ = r.raw<int>();
    const std::size_t rules = r.size();
    for (std::size_t i = 0; i < rules && r.ok; ++i) {
      const std::size_t file = r.size();
      if (file >= pack.files_.size()) return std::nullopt;
      r.file = pack.files_[file]->text;
      pack.rules_.push_back(std::make_shared<const Rule>(get_rule(r, pack.files_[file].get())));
    }
    if (!r.ok || !r.at_end()) return std::nullopt;
    for (const auto& rule : pack.rules_) pack.infos_.push_back(rule->info);
    return pack;
  }
};

std::string encode_pack(const RulePack& pack) { return PackCodec::encode(pack); }
std::optional<RulePack> decode_pack(std::string_view bytes) { return PackCodec::decode(bytes); }

}  // namespace kpilint::rules
