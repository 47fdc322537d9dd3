// Name resolution and the language checks that need the whole workspace:
// KPI002 duplicates, KPI003 dangling references, KPI004 cycles, KPI005 bad
// values, KPI006 unknown fields, KPI007 unknown modules.
#include "model/model.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cassert>
#include <iterator>
#include <memory>
#include <new>
#include <thread>
#include <unordered_set>

#include "base/embedded.hpp"
#include "base/huge_pages.hpp"
#include "base/i18n.hpp"
#include "model/suggest.hpp"
#include "model/values.hpp"

namespace kpilint::model {

using syntax::Decl;
using syntax::Field;
using syntax::Value;
using syntax::ValueKind;

namespace {

std::string_view kind_noun(DeclKind kind) {
  switch (kind) {
    case DeclKind::Use: return i18n::text("model.kind.module");
    case DeclKind::Person: return i18n::text("model.kind.person");
    case DeclKind::Team: return i18n::text("model.kind.team");
    case DeclKind::Objective: return i18n::text("model.kind.objective");
    case DeclKind::Kpi: return i18n::text("model.kind.kpi");
    case DeclKind::Metric: return i18n::text("model.kind.metric");
    case DeclKind::Experiment: return i18n::text("model.kind.experiment");
  }
  return i18n::text("model.kind.declaration");
}

// "a person", "an objective", "a KPI": the noun with its indefinite article.
std::string_view kind_with_article(DeclKind kind) {
  switch (kind) {
    case DeclKind::Use: return i18n::text("model.kind.module.a");
    case DeclKind::Person: return i18n::text("model.kind.person.a");
    case DeclKind::Team: return i18n::text("model.kind.team.a");
    case DeclKind::Objective: return i18n::text("model.kind.objective.a");
    case DeclKind::Kpi: return i18n::text("model.kind.kpi.a");
    case DeclKind::Metric: return i18n::text("model.kind.metric.a");
    case DeclKind::Experiment: return i18n::text("model.kind.experiment.a");
  }
  return i18n::text("model.kind.declaration.a");
}

// "person or team"; with `article`, "a KPI or team": the article agrees with
// the first noun.
std::string kinds_phrase(unsigned kinds, bool article = false) {
  std::vector<std::string> names;
  for (int k = 0; k < syntax::kDeclKindCount; ++k) {
    if (kinds & (1u << k)) {
      const auto kind = static_cast<DeclKind>(k);
      names.emplace_back(article && names.empty() ? kind_with_article(kind) : kind_noun(kind));
    }
  }
  return i18n::join_or(names);
}

std::string words_phrase(std::span<const std::string_view> words) {
  const std::vector<std::string> items(words.begin(), words.end());
  return i18n::join_or(items);
}

std::string_view value_kind_noun(const Value& value) {
  switch (value.kind) {
    case ValueKind::Missing: return i18n::text("model.value.nothing");
    case ValueKind::String: return i18n::text("model.value.string");
    case ValueKind::Number: return i18n::text("model.value.number");
    case ValueKind::Date: return i18n::text("model.value.date");
    case ValueKind::Quarter: return i18n::text("model.value.quarter");
    case ValueKind::Word: return i18n::text("model.value.word");
    case ValueKind::AtRef: return i18n::text("model.value.at-reference");
    case ValueKind::Words: return i18n::text("model.value.words");
    case ValueKind::List: return i18n::text("model.value.list");
    case ValueKind::Target: return i18n::text("model.value.target");
  }
  return i18n::text("model.value.value");
}

// The span of the name inside a reference token: without the '@'.
Span name_span_of(const Value& value) {
  if (value.kind == ValueKind::AtRef) return {value.span.begin + 1, value.span.end};
  return value.span;
}

}  // namespace

using UseTable = std::unordered_map<const Document*, std::vector<std::string_view>>;

class ModelBuilder {
 public:
  ModelBuilder(const Workspace& workspace, std::vector<Diagnostic>& out, const BuildOptions& options = {})
      : workspace_(workspace), out_(&out), options_(options) {}

  // A worker for part of a pass: shares the workspace, the model and the
  // `use` table (all read-only while it runs) and writes its findings and
  // references to its own lists, which the caller appends in order.
  ModelBuilder(const ModelBuilder& shared, std::vector<Diagnostic>& out, std::vector<Reference>& references)
      : workspace_(shared.workspace_),
        out_(&out),
        options_(shared.options_),
        model_(shared.model_),
        references_(&references),
        uses_(&shared.uses()) {}

  std::unique_ptr<Model> build() {
    auto model = std::make_unique<Model>();
    model_ = model.get();
    references_ = &model_->references_.emplace_back();
    declare();
    // A KPI's target unit is compared with its unit as soon as its fields are
    // checked, in the same pass, unless the unit comes from a workspace
    // metric (whose slots another worker may still be filling): those wait
    // for the end of the pass. Findings are sorted later, so the order in
    // which they are found does not show.
    in_parallel([](ModelBuilder& builder, Entity& entity) {
      builder.check_fields(entity);
      if (entity.kind != DeclKind::Kpi) return;
      if (unit_is_settled(entity)) {
        builder.check_target_unit(entity, quiet(entity));
      } else {
        builder.unsettled_units_.push_back(&entity);
      }
    });
    for (Entity* entity : unsettled_units_) check_target_unit(*entity, quiet(*entity));
    unsettled_units_.clear();
    // The did-you-mean scan for KPI003 needs every name, and nothing after it
    // needs its answers: it starts on a second core while this one checks
    // rollup cycles and builds the relations, then this one joins it. The
    // cycle findings still come after the KPI003 ones, as in a plain run.
    std::vector<Diagnostic> cycle_findings;
    std::vector<Diagnostic>* const findings = out_;
    SuggestionScan scan(*this);
    out_ = &cycle_findings;
    find_cycles();
    relate();
    out_ = findings;
    report_dangling(scan.finish());
    std::move(cycle_findings.begin(), cycle_findings.end(), std::back_inserter(*out_));
    return model;
  }

  // Runs `pass` over every workspace entity. A large workspace is cut into
  // contiguous parts, one per worker; each part's findings, references and
  // dangling names are appended in part order, so the result is the same as
  // a sequential run.
  template <typename Pass>
  void in_parallel(Pass pass) {
    constexpr std::size_t kMinPerWorker = 20'000;
    const auto& pending = model_->entities_;
    const std::size_t n = pending.size();
    const std::size_t parts =
        std::clamp<std::size_t>(n / kMinPerWorker, 1, std::clamp<std::size_t>(std::thread::hardware_concurrency(), 1, 4));
    // A reference is a field's value, or an item of a list: room for as
    // many as the part has fields spares the list from growing (and copying)
    // ten times; room never written is never touched.
    std::size_t fields = 0;
    if (options_.references) {
      for (const auto& document : workspace_.documents) fields += document->tree.fields.size();
    }
    const auto run = [&](ModelBuilder& builder, std::size_t part) {
      const std::size_t end = n * (part + 1) / parts;
      if (fields != 0) builder.references_->reserve(builder.references_->size() + fields / parts + 64);
      for (std::size_t i = n * part / parts; i < end; ++i) {
        if (i + 1 < end) pending[i + 1]->prefetch();
        pass(builder, *pending[i]);
      }
    };
    if (parts == 1) {
      run(*this, 0);
      return;
    }
    struct Part {
      std::vector<Diagnostic> diagnostics;
      std::vector<Reference> references;
      std::unique_ptr<ModelBuilder> builder;
    };
    std::vector<Part> rest(parts - 1);
    std::vector<std::thread> threads;
    for (std::size_t k = 1; k < parts; ++k) {
      Part& part = rest[k - 1];
      part.builder = std::make_unique<ModelBuilder>(*this, part.diagnostics, part.references);
      threads.emplace_back([&run, &part, k] { run(*part.builder, k); });
    }
    run(*this, 0);
    for (auto& thread : threads) thread.join();
    for (Part& part : rest) {
      std::move(part.diagnostics.begin(), part.diagnostics.end(), std::back_inserter(*out_));
      // After the primary's own list (this pass makes every reference there is).
      if (!part.references.empty()) model_->references_.push_back(std::move(part.references));
      dangling_.insert(dangling_.end(), part.builder->dangling_.begin(), part.builder->dangling_.end());
      unsettled_units_.insert(unsettled_units_.end(), part.builder->unsettled_units_.begin(),
                              part.builder->unsettled_units_.end());
    }
  }

  // Language checks report on declarations that parsed and are first
  // definitions; the others still resolve references for navigation.
  static bool quiet(const Entity& e) { return e.duplicate || e.has_syntax_error(); }

  // Whether a KPI's unit, own or inherited, is final once its own fields are
  // checked: it is not read from a workspace metric.
  static bool unit_is_settled(const Entity& kpi) {
    if (kpi.has(FieldId::Unit) || !kpi.has(FieldId::Metric) || kpi.invalid(FieldId::Metric)) return true;
    const Entity* metric = kpi.ref(FieldId::Metric);
    return metric == nullptr || metric->stdlib;
  }

  // Stdlib: parse the embedded modules once, resolve their metrics among themselves.
  static void load_stdlib(Stdlib& stdlib) {
    for (const auto& file : embedded::stdlib_files()) {
      auto document = make_document(fmt::format("<stdlib>/{}", file.name), std::string(file.text), {});
      document->reported = false;
      document->stdlib = true;
      std::string_view module = file.name.substr(0, file.name.find('.'));
      // Keys must outlive the map: view into the document's own path text.
      module = std::string_view(document->source->path).substr(9, module.size());
      auto& metrics = stdlib.modules_[module];
      for (const Decl& decl : document->tree.decls) {
        if (decl.kind != DeclKind::Metric) continue;
        auto entity = std::make_unique<Entity>();
        entity->kind = decl.kind;
        entity->name = decl.name();
        entity->attach(decl);
        entity->document = document.get();
        entity->stdlib = true;
        for (const Field& field : decl.fields) {
          if (auto id = field_from_name(field.name()); id && !entity->has(*id)) {
            entity->set_field(*id, static_cast<std::uint32_t>(&field - decl.fields.data()));
            // Enum words are numbered here as a workspace metric's are in the
            // fields pass, so rules read `metric.category` from the entity
            // (the stdlib's words are all valid).
            const FieldSpec* spec = field_spec(DeclKind::Metric, *id);
            if (spec != nullptr && spec->type == FieldType::Enum && field.value.kind == ValueKind::Word) {
              if (const auto word = enum_word_id(spec->enum_id, field.value.text())) entity->set_word(*id, *word);
            }
          }
        }
        if (metrics.emplace(entity->name, entity.get()).second) stdlib.by_name_[entity->name].emplace_back(module, entity.get());
        stdlib.entities_.push_back(std::move(entity));
      }
      stdlib.documents_.push_back(std::move(document));
    }
  }

 private:
  void report(const Document& doc, Span span, std::string_view code, std::string_view rule, Severity severity,
              std::string message, std::string help = {}) {
    Diagnostic d;
    d.location = {doc.source.get(), span};
    d.severity = severity;
    d.code = code;
    d.rule = rule;
    d.message = std::move(message);
    d.help = std::move(help);
    out_->push_back(std::move(d));
  }
  void invalid(const Entity& e, const Value& value, std::string message, std::string help = {}) {
    report(*e.document, value.span, "KPI005", "invalid-value", Severity::Error, std::move(message), std::move(help));
  }

  // Pass 1: every declaration into the one namespace; `use` per file.
  void declare() {
    const auto& stdlib = Stdlib::instance();
    const auto& documents = workspace_.documents;
    // Entity indexes: each document's entities start where the previous
    // one's end (one per declaration but `use`), in path order.
    // (The parser counted the `use`s: the declarations are not read here.)
    std::vector<std::size_t> first_entity(documents.size() + 1, 0);
    for (std::size_t d = 0; d < documents.size(); ++d) {
      const auto& tree = documents[d]->tree;
      first_entity[d + 1] = first_entity[d] + tree.decls.size() - tree.uses;
    }
    const std::size_t total = first_entity.back();
    // Made in parallel on a large workspace (tens of megabytes to fill) ...
    // The entity array, the pointers to it and the names below are written
    // first by the workers, each its own part: nothing zeroes them before.
    model_->storage_.allocate(total);
    model_->entities_.resize(total);
    // Each name with its hash, hashed here on all cores; the name table is
    // filled from this dense list, not from the entities.
    Model::PlacedArray<HashedName> names;
    names.allocate(total);
    std::vector<std::vector<const Decl*>> use_decls(documents.size());
    const auto make_entities = [&](std::size_t d) {
      const Document& doc = *documents[d];
      std::size_t index = first_entity[d];
      for (const Decl& decl : doc.tree.decls) {
        if (decl.kind == DeclKind::Use) {
          use_decls[d].push_back(&decl);
          continue;
        }
        Entity& entity = model_->storage_.make(index);
        model_->entities_[index] = &entity;
        names.make(index) = NameTable::hashed(decl.name());
        entity.kind = decl.kind;
        entity.name = decl.name();
        entity.attach(decl);
        entity.document = &doc;
        entity.order = static_cast<std::uint32_t>(index);
        ++index;
      }
      assert(index == first_entity[d + 1] && "SyntaxTree::uses counts the file's `use` declarations");
    };
    const unsigned workers = total >= 20'000 ? std::clamp(std::thread::hardware_concurrency(), 1u, 4u) : 1u;
    std::atomic<std::size_t> next_document{0};
    const auto work = [&] {
      for (std::size_t d = next_document++; d < documents.size(); d = next_document++) make_entities(d);
    };
    std::vector<std::thread> helpers;
    for (unsigned t = 1; t < workers; ++t) helpers.emplace_back(work);
    work();
    for (auto& helper : helpers) helper.join();

    // ... then each file's `use` read, in path order ...
    for (std::size_t d = 0; d < documents.size(); ++d) {
      const Document& doc = *documents[d];
      auto& used = own_uses_[&doc];
      for (const Decl* use : use_decls[d]) {
        const std::string_view path = use->name();
        const bool is_std = path.substr(0, 4) == "std.";
        const std::string_view module = is_std ? path.substr(4) : path;
        if (is_std && stdlib.has_module(module)) {
          used.push_back(module);
          continue;
        }
        const auto modules = stdlib.module_names();
        std::string list;
        for (std::size_t i = 0; i < modules.size(); ++i) list += fmt::format("{}std.{}", i ? ", " : "", modules[i]);
        std::string help = i18n::format("model.stdlib-modules", i18n::arg("modules", list));
        const auto guess = closest(module, modules);
        std::string message = guess ? i18n::format("model.unknown-module-suggest", i18n::arg("module", path),
                                                   i18n::arg("guess", *guess))
                                    : i18n::format("model.unknown-module", i18n::arg("module", path));
        report(doc, use->name_span, "KPI007", "unknown-module", Severity::Error, std::move(message), std::move(help));
      }
    }
    // ... and named, where the first definition of a name wins: each shard
    // of the name table takes its names in path order, on its own core on a
    // large workspace.
    std::array<std::vector<std::pair<Entity*, const Entity*>>, NameTable::kShards> duplicates;
    const auto name_shard = [&](std::size_t s) {
      NameTable::Shard& shard = model_->names_.shard(s);
      shard.reserve(total / NameTable::kShards + total / 16);
      for (std::size_t i = 0; i < total; ++i) {
        // Neither this entity nor another is read here, but where 7 bits of
        // two names' hashes agree (1 in 128) or a name is defined twice.
        if (NameTable::shard_of(names[i]) != s) continue;
        Entity* entity = &model_->storage_[i];
        if (Entity* first = NameTable::insert(shard, names[i], entity); first != entity) {
          entity->duplicate = true;
          duplicates[s].push_back({entity, first});
        }
      }
    };
    if (workers > 1) {
      std::thread second([&] { name_shard(1); });
      name_shard(0);
      second.join();
    } else {
      for (std::size_t s = 0; s < NameTable::kShards; ++s) name_shard(s);
    }
    std::vector<std::pair<Entity*, const Entity*>> all_duplicates;
    for (auto& list : duplicates) all_duplicates.insert(all_duplicates.end(), list.begin(), list.end());
    std::sort(all_duplicates.begin(), all_duplicates.end(), [](const auto& a, const auto& b) { return a.first->order < b.first->order; });
    for (const auto& [entity, first] : all_duplicates) report_duplicate(*entity, *first);
  }

  // KPI002, at the second definition, pointing at the first.
  void report_duplicate(const Entity& entity, const Entity& first) {
    Diagnostic d;
    d.location = {entity.document->source.get(), entity.decl->name_span};
    d.severity = Severity::Error;
    d.code = "KPI002";
    d.rule = "duplicate-definition";
    d.message = i18n::format("model.duplicate", i18n::arg("name", entity.name), i18n::arg("kind", kind_with_article(first.kind)),
                             i18n::arg("path", first.document->source->path));
    d.help = i18n::text("model.duplicate.help");
    d.related.push_back({{first.document->source.get(), first.decl->name_span}, std::string(i18n::text("model.duplicate.first"))});
    out_->push_back(std::move(d));
  }

  // Pass 2: each field checked against the schema, references resolved.
  void check_fields(Entity& e) {
    const bool quiet = ModelBuilder::quiet(e);
    for (const Field& field : e.all_fields()) {
      const auto id = field_from_name(field.name());
      const FieldSpec* spec = id ? field_spec(e.kind, *id) : nullptr;
      if (spec == nullptr) {
        if (!quiet) unknown_field(e, field);
        continue;
      }
      if (e.has(*id)) {
        if (!quiet) {
          report(*e.document, field.name_span, "KPI005", "invalid-value", Severity::Error,
                 i18n::format("model.field-twice", i18n::arg("field", field.name()), i18n::arg("kind", kind_noun(e.kind)),
                              i18n::arg("name", e.name)),
                 std::string(i18n::text("model.field-twice.help")));
        }
        continue;
      }
      e.set_field(*id, static_cast<std::uint32_t>(&field - e.fields));
      e.set_invalid(*id, !check_value(e, *spec, field, quiet));
    }
  }

  void unknown_field(const Entity& e, const Field& field) {
    std::vector<std::string_view> names;
    for (FieldId id : fields_of(e.kind)) names.push_back(field_name(id));
    Diagnostic d;
    d.location = {e.document->source.get(), field.name_span};
    d.severity = Severity::Warning;
    d.code = "KPI006";
    d.rule = "unknown-field";
    const auto guess = closest(field.name(), names);
    d.message = i18n::format(guess ? "model.unknown-field-suggest" : "model.unknown-field",
                             i18n::arg("kind", kind_noun(e.kind)), i18n::arg("name", e.name),
                             i18n::arg("field", field.name()), i18n::arg("guess", guess.value_or("")));
    if (guess) {
      d.fixes.push_back({i18n::format("model.fix-rename", i18n::arg("guess", *guess)), {{d.location, std::string(*guess)}}});
    }
    d.help = i18n::format("model.fields-of", i18n::arg("keyword", syntax::keyword(e.kind)),
                          i18n::arg("fields", words_phrase(names)));
    out_->push_back(std::move(d));
  }

  // Returns false when the value was reported (reads of it become unknown).
  bool check_value(Entity& e, const FieldSpec& spec, const Field& field, bool quiet) {
    const Value& v = field.value;
    const auto fail = [&](std::string message, std::string help = {}) {
      if (!quiet) invalid(e, v, std::move(message), std::move(help));
      return false;
    };
    switch (spec.type) {
      case FieldType::String:
        if (v.kind != ValueKind::String) return fail(i18n::format("model.expects-string", i18n::arg("field", field.name()), i18n::arg("value", value_kind_noun(v))));
        return true;
      case FieldType::Bool:
        if (v.kind != ValueKind::Word || (v.text() != "true" && v.text() != "false"))
          return fail(i18n::format("model.expects-bool", i18n::arg("field", field.name()), i18n::arg("value", describe(v))));
        return true;
      case FieldType::Enum: {
        const auto word = check_enum_word(e, spec.enum_id, field.name(), v, quiet);
        if (word) e.set_word(spec.id, *word);
        return word.has_value();
      }
      case FieldType::EnumList: {
        if (v.kind != ValueKind::List) {
          return fail(i18n::format("model.expects-enum-list", i18n::arg("field", field.name()),
                                   i18n::arg("value", value_kind_noun(v))));
        }
        bool ok = true;
        for (const Value& item : v.items()) ok = check_enum_word(e, spec.enum_id, field.name(), item, quiet).has_value() && ok;
        return ok;
      }
      case FieldType::When:
        return check_when(e, field.name(), v, quiet);
      case FieldType::Unit:
        if (v.kind != ValueKind::Word) {
          return fail(i18n::format("model.expects-unit", i18n::arg("field", field.name()), i18n::arg("value", value_kind_noun(v))));
        }
        return true;
      case FieldType::Aggregation:
        return check_aggregation(e, v, quiet);
      case FieldType::Target:
        return check_target(e, v, quiet);
      case FieldType::Ref:
      case FieldType::AtRef:
      {
        const Entity* target = nullptr;
        const bool ok = resolve(e, spec, field.name(), v, target, quiet);
        e.set_ref(spec.id, target);
        return ok;
      }
      case FieldType::AtRefList: {
        if (v.kind != ValueKind::List) {
          return fail(i18n::format("model.expects-at-list", i18n::arg("field", field.name()),
                                   i18n::arg("value", value_kind_noun(v))));
        }
        bool ok = true;
        std::vector<const Entity*> members;
        members.reserve(v.items().size());
        for (const Value& item : v.items()) {
          const Entity* target = nullptr;
          if (resolve(e, spec, field.name(), item, target, quiet)) {
            members.push_back(target);
          } else {
            ok = false;
          }
        }
        e.set_members(members);
        e.members_invalid = !ok;
        return true;  // the list stays readable; bad members were reported
      }
    }
    return true;
  }

  static std::string describe(const Value& v) {
    if (v.kind == ValueKind::Word) return fmt::format("'{}'", v.text());
    return std::string(value_kind_noun(v));
  }

  // A word of enum `id`: its enum_word_id(); else KPI005 (unless quiet) and nullopt.
  std::optional<std::uint8_t> check_enum_word(const Entity& e, EnumId id, std::string_view field, const Value& v, bool quiet) {
    if (v.kind == ValueKind::Word) {
      if (const auto word = enum_word_id(id, v.text())) return word;
    }
    if (quiet) return std::nullopt;
    const auto words = enum_words(id);
    Diagnostic d;
    d.location = {e.document->source.get(), v.span};
    d.severity = Severity::Error;
    d.code = "KPI005";
    d.rule = "invalid-value";
    if (v.kind == ValueKind::Word) {
      const auto guess = closest(v.text(), words);
      d.message = i18n::format(guess ? "model.unknown-enum-word-suggest" : "model.unknown-enum-word",
                               i18n::arg("enum", enum_name(id)), i18n::arg("word", v.text()), i18n::arg("field", field),
                               i18n::arg("guess", guess.value_or("")));
      if (guess) {
        d.fixes.push_back({i18n::format("model.fix-replace", i18n::arg("guess", *guess)), {{d.location, std::string(*guess)}}});
      }
    } else {
      d.message = i18n::format("model.expects-one-of", i18n::arg("field", field), i18n::arg("words", words_phrase(words)),
                               i18n::arg("value", value_kind_noun(v)));
    }
    d.help = i18n::format("model.expected-one-of", i18n::arg("words", words_phrase(words)));
    out_->push_back(std::move(d));
    return std::nullopt;
  }

  bool check_when(const Entity& e, std::string_view field, const Value& v, bool quiet) {
    if (v.kind == ValueKind::Date) {
      if (is_valid_date(v.year(), v.month(), v.day())) return true;
      if (!quiet) {
        invalid(e, v, i18n::format("model.invalid-date", i18n::arg("value", v.text())),
                std::string(i18n::text("model.invalid-date.help")));
      }
      return false;
    }
    if (v.kind == ValueKind::Quarter) {
      if (v.quarter() >= 1 && v.quarter() <= 4) return true;
      if (!quiet) {
        invalid(e, v, i18n::format("model.invalid-quarter", i18n::arg("value", v.text())),
                std::string(i18n::text("model.invalid-quarter.help")));
      }
      return false;
    }
    if (!quiet) {
      invalid(e, v, i18n::format("model.expects-when", i18n::arg("field", field), i18n::arg("value", value_kind_noun(v))));
    }
    return false;
  }

  bool check_aggregation(const Entity& e, const Value& v, bool quiet) {
    const auto methods = enum_words(EnumId::AggregationMethod);
    const auto periods = enum_words(EnumId::Period);
    if (v.kind == ValueKind::Word && is_enum_word(EnumId::AggregationMethod, v.text())) {
      if (!quiet) {
        invalid(e, v, i18n::format("model.aggregation-no-period", i18n::arg("method", v.text())),
                i18n::format("model.aggregation-no-period.help", i18n::arg("method", v.text()),
                             i18n::arg("periods", words_phrase(periods))));
      }
      return false;
    }
    if (v.kind == ValueKind::Words && v.items().size() == 2) {
      bool ok = check_enum_word(e, EnumId::AggregationMethod, "aggregation", v.items()[0], quiet).has_value();
      ok = check_enum_word(e, EnumId::Period, "aggregation", v.items()[1], quiet).has_value() && ok;
      return ok;
    }
    if (v.kind == ValueKind::Word) return check_enum_word(e, EnumId::AggregationMethod, "aggregation", v, quiet).has_value() && false;
    if (!quiet) {
      invalid(e, v, std::string(i18n::text("model.aggregation-expected")),
              i18n::format("model.aggregation-expected.help", i18n::arg("methods", words_phrase(methods)),
                           i18n::arg("periods", words_phrase(periods))));
    }
    return false;
  }

  bool check_target(const Entity& e, const Value& v, bool quiet) {
    if (v.kind != ValueKind::Target || !v.target()) {
      if (!quiet) {
        const std::string_view example = v.kind == ValueKind::Missing ? "100" : e.document->source->slice(v.span);
        invalid(e, v, i18n::format("model.target-expected", i18n::arg("example", example)),
                std::string(i18n::text("model.target-expected.help")));
      }
      return false;
    }
    bool ok = true;
    const syntax::Target& t = *v.target();
    if (t.deadline.kind != ValueKind::Missing) ok = check_when(e, "by", t.deadline, quiet) && ok;
    return ok;
  }

  // A target written in a unit that contradicts the KPI's (own or its metric's).
  void check_target_unit(Entity& e, bool quiet) {
    const FieldSlot slot = e.slot(FieldId::Target);
    if (slot.field == nullptr || e.invalid(FieldId::Target) || !slot.field->value.target()) return;
    const syntax::Target& t = *slot.field->value.target();
    const std::string_view written = target_unit(t);
    if (written.empty()) return;
    const FieldRead unit = read_field(e, FieldId::Unit);
    if (unit.state != ReadState::Present) return;
    const std::string_view expected = unit.field->value.text();
    if (units_compatible(written, expected)) return;
    e.set_invalid(FieldId::Target);
    if (quiet) return;
    const Value& at = t.unit.kind == ValueKind::Word ? t.unit : t.value;
    const bool inherited = unit.owner != &e;
    invalid(e, at,
            i18n::format(inherited ? "model.target-unit-inherited" : "model.target-unit", i18n::arg("written", written),
                         i18n::arg("name", e.name), i18n::arg("unit", expected),
                         i18n::arg("metric", inherited ? unit.owner->name : std::string_view())),
            i18n::format("model.target-unit.help", i18n::arg("unit", expected)));
  }

  bool resolve(const Entity& e, const FieldSpec& spec, std::string_view field, const Value& v, const Entity*& out,
               bool quiet) {
    const bool wants_at = spec.type != FieldType::Ref;
    if (v.kind != ValueKind::Word && v.kind != ValueKind::AtRef) {
      if (!quiet) {
        invalid(e, v, i18n::format(wants_at ? "model.expects-at-ref" : "model.expects-ref", i18n::arg("field", field),
                                   i18n::arg("kinds", kinds_phrase(spec.ref_kinds, true)),
                                   i18n::arg("value", value_kind_noun(v))));
      }
      return false;
    }
    const Entity* target = lookup(e, spec, v.text());
    if (options_.references) references_->push_back({e.document, name_span_of(v), target, spec.id});
    if (target == nullptr) {
      if (!quiet) dangling(e, spec, field, v);
      return false;
    }
    if ((kind_bit(target->kind) & spec.ref_kinds) == 0) {
      if (!quiet) {
        invalid(e, v, i18n::format("model.wrong-kind", i18n::arg("field", field),
                                   i18n::arg("kinds", kinds_phrase(spec.ref_kinds, true)), i18n::arg("name", v.text()),
                                   i18n::arg("kind", kind_with_article(target->kind))));
      }
      return false;
    }
    if (wants_at != (v.kind == ValueKind::AtRef)) {
      if (!quiet) {
        Diagnostic d;
        d.location = {e.document->source.get(), v.span};
        d.severity = Severity::Error;
        d.code = "KPI005";
        d.rule = "invalid-value";
        d.message = i18n::format(wants_at ? "model.needs-at" : "model.no-at", i18n::arg("field", field),
                                 i18n::arg("kinds", kinds_phrase(spec.ref_kinds, true)), i18n::arg("name", v.text()));
        d.fixes.push_back({std::string(i18n::text("model.fix-reference")),
                           {{d.location, wants_at ? fmt::format("@{}", v.text()) : std::string(v.text())}}});
        out_->push_back(std::move(d));
      }
      return false;
    }
    out = target;
    return true;
  }

  const Entity* lookup(const Entity& e, const FieldSpec& spec, std::string_view name) {
    const HashedName key = NameTable::hashed(name);  // once, for both tables
    const Entity* named = model_->names_.find(key);
    // A metric reference prefers a workspace metric, then the file's modules,
    // so a KPI may share its name with a stdlib metric.
    if (named != nullptr && (spec.id != FieldId::Metric || named->kind == DeclKind::Metric)) return named;
    if (spec.id == FieldId::Metric) {
      if (const auto* modules = uses_of(e.document)) {
        if (const Entity* metric = Stdlib::instance().find_in(*modules, key)) return metric;
      }
      if (named != nullptr) return named;  // wrong kind: KPI005
    }
    return nullptr;
  }

  // The modules a document uses, or nullptr. The pass meets a file's
  // entities one after another, so the last answer is kept.
  const std::vector<std::string_view>* uses_of(const Document* document) {
    if (document != uses_of_document_) {
      const auto it = uses().find(document);
      uses_of_document_ = document;
      uses_of_modules_ = it == uses().end() ? nullptr : &it->second;
    }
    return uses_of_modules_;
  }

  // KPI003 waits until every name is known: suggestions for all dangling
  // references come from one pass over the workspace names.
  // Only for files that are reported on: the others' findings are dropped
  // anyway, and pre-commit in a large workspace would otherwise look for
  // suggestions for every typo in it.
  void dangling(const Entity& e, const FieldSpec& spec, std::string_view field, const Value& v) {
    if (e.document->reported) dangling_.push_back({&e, &spec, field, &v});
  }

  // Offers every workspace name to the dangling references' queries, in
  // chunks shared by the calling thread and, on a large workspace, a helper
  // started at once; finish() joins in, then merges (the best answer does
  // not depend on which thread saw which name).
  class SuggestionScan {
   public:
    explicit SuggestionScan(const ModelBuilder& builder) : entities_(builder.model_->entities_) {
      for (const DanglingRef& ref : builder.dangling_) nearest_.add_query(ref.value->text(), ref.spec->ref_kinds);
      if (nearest_.empty()) return;
      if (entities_.size() >= 40'000 && std::thread::hardware_concurrency() > 1) {
        helper_nearest_ = nearest_;
        helper_ = std::thread([this] { scan(helper_nearest_); });
      }
    }
    SuggestionScan(const SuggestionScan&) = delete;
    SuggestionScan& operator=(const SuggestionScan&) = delete;
    ~SuggestionScan() {
      if (helper_.joinable()) helper_.join();
    }

    const NearestNames& finish() {
      if (nearest_.empty()) return nearest_;
      scan(nearest_);
      if (helper_.joinable()) {
        helper_.join();
        nearest_.merge(helper_nearest_);
      }
      return nearest_;
    }

   private:
    void scan(NearestNames& into) {
      constexpr std::size_t kChunk = 4096;
      for (std::size_t begin = next_.fetch_add(kChunk); begin < entities_.size(); begin = next_.fetch_add(kChunk)) {
        const std::size_t end = std::min(begin + kChunk, entities_.size());
        for (std::size_t i = begin; i < end; ++i) {
          const Entity& candidate = *entities_[i];
          if (!candidate.duplicate) into.offer(candidate.name, kind_bit(candidate.kind), static_cast<std::uint32_t>(i));
        }
      }
    }

    std::span<Entity* const> entities_;
    NearestNames nearest_;
    NearestNames helper_nearest_;
    std::atomic<std::size_t> next_{0};
    std::thread helper_;
  };

  void report_dangling(const NearestNames& nearest) {
    if (dangling_.empty()) return;
    for (std::size_t q = 0; q < dangling_.size(); ++q) {
      const auto [e, spec, field, v] = dangling_[q];
      Diagnostic d;
      d.location = {e->document->source.get(), v->span};
      d.severity = Severity::Error;
      d.code = "KPI003";
      d.rule = "unresolved-reference";
      std::optional<std::string_view> guess;
      if (auto id = nearest.best(q)) guess = model_->entities_[*id]->name;
      if (!guess && spec->id == FieldId::Metric) guess = closest_stdlib_metric(*e, v->text(), d.help);
      d.message = i18n::format(guess ? "model.no-such-name-suggest" : "model.no-such-name",
                               i18n::arg("kinds", kinds_phrase(spec->ref_kinds)), i18n::arg("name", v->text()),
                               i18n::arg("guess", guess.value_or("")));
      if (guess) {
        const Location name_at{e->document->source.get(), name_span_of(*v)};
        d.fixes.push_back({i18n::format("model.fix-replace", i18n::arg("guess", *guess)), {{name_at, std::string(*guess)}}});
      } else if (d.help.empty()) {
        d.help = i18n::format("model.no-such-name.help", i18n::arg("field", field));
      }
      out_->push_back(std::move(d));
    }
  }

  // Metrics of the file's modules, and a hint when the metric exists in a
  // module the file does not `use`.
  std::optional<std::string_view> closest_stdlib_metric(const Entity& e, std::string_view name, std::string& help) const {
    const auto& stdlib = Stdlib::instance();
    for (std::string_view module : stdlib.module_names()) {
      if (stdlib.find(module, name) != nullptr) {
        help = i18n::format("model.metric-needs-use", i18n::arg("name", name), i18n::arg("module", module));
        return std::nullopt;
      }
    }
    std::vector<std::string_view> candidates;
    if (auto uses = this->uses().find(e.document); uses != this->uses().end()) {
      for (std::string_view module : uses->second) {
        for (const auto& [metric, entity] : stdlib.modules_.at(module)) candidates.push_back(metric);
      }
    }
    std::sort(candidates.begin(), candidates.end());
    return closest(name, candidates);
  }

  // KPI004: parent chains that loop. One finding per cycle, at the member that
  // comes first in path order, with the whole cycle as related locations.
  void find_cycles() {
    enum : unsigned char { White, Gray, Black };
    // Indexed by Entity::order; a parent is always a workspace KPI (anything
    // else was rejected as KPI005), so the chain never leaves the table.
    std::vector<unsigned char> colors(model_->entities_.size(), White);
    const auto color = [&](const Entity* e) -> unsigned char& { return colors[e->order]; };
    std::vector<const Entity*> path;
    for (const auto& start : model_->entities_) {
      if (start->kind != DeclKind::Kpi || color(start) != White) continue;
      path.clear();
      const Entity* at = start;
      while (at != nullptr && !at->stdlib && color(at) == White) {
        color(at) = Gray;
        path.push_back(at);
        const FieldSlot& parent = at->slot(FieldId::Parent);
        at = at->invalid(FieldId::Parent) ? nullptr : parent.ref;
      }
      if (at != nullptr && !at->stdlib && color(at) == Gray) {
        const auto first = std::find(path.begin(), path.end(), at);
        report_cycle(std::vector<const Entity*>(first, path.end()));
      }
      for (const Entity* e : path) color(e) = Black;
    }
  }

  void report_cycle(std::vector<const Entity*> cycle) {
    // Rotate so the cycle starts at its first member in path order.
    const auto first = std::min_element(cycle.begin(), cycle.end(), [&](const Entity* a, const Entity* b) {
      return a->order < b->order;
    });
    std::rotate(cycle.begin(), first, cycle.end());
    std::string chain;
    for (const Entity* e : cycle) chain += fmt::format("{} → ", e->name);
    chain += cycle.front()->name;
    for (const Entity* e : cycle) {
      const_cast<Entity*>(e)->set_invalid(FieldId::Parent);
      const_cast<Entity*>(e)->in_cycle = true;
    }
    const Entity& head = *cycle.front();
    if (quiet(head)) return;
    Diagnostic d;
    d.location = {head.document->source.get(), head.slot(FieldId::Parent).field->value.span};
    d.severity = Severity::Error;
    d.code = "KPI004";
    d.rule = "rollup-cycle";
    d.message = cycle.size() == 1 ? i18n::format("model.own-parent", i18n::arg("name", head.name))
                                  : i18n::format("model.rollup-cycle", i18n::arg("chain", chain));
    d.help = i18n::text("model.rollup-cycle.help");
    for (std::size_t i = 1; i < cycle.size(); ++i) {
      const Entity& e = *cycle[i];
      const Entity& next = *cycle[(i + 1) % cycle.size()];
      d.related.push_back({{e.document->source.get(), e.slot(FieldId::Parent).field->value.span},
                           i18n::format("model.rolls-up-into", i18n::arg("name", e.name), i18n::arg("parent", next.name))});
    }
    out_->push_back(std::move(d));
  }

  // Relations and the per-kind lists rules iterate over.
  // The relations, in path order, as one array: each entity's kpis, then
  // its children, then what it owns. Counted first, then filled: no vector
  // per entity to grow (100k: 300,000 links).
  void relate() {
    struct Link {
      FieldId id;
      std::uint32_t Entity::*count;
    };
    static constexpr std::array<Link, 3> kLinks{{{FieldId::Objective, &Entity::kpi_count_},
                                                 {FieldId::Parent, &Entity::child_count_},
                                                 {FieldId::Owner, &Entity::owned_count_}}};
    // A KPI in a rollup cycle still has its parent: the cycle's members and
    // what hangs off them are descendants (KPI112, KPI114, KPI119).
    const auto target = [](const Entity& e, FieldId id) -> Entity* {
      const bool linked = !e.invalid(id) || (id == FieldId::Parent && e.in_cycle);
      const Entity* to = linked && e.has(id) ? e.ref(id) : nullptr;
      return to != nullptr && !to->stdlib ? const_cast<Entity*>(to) : nullptr;  // always a workspace entity
    };
    std::size_t total = 0;
    for (const auto& e : model_->entities_) {
      if (!e->checkable()) continue;
      model_->by_kind_[static_cast<int>(e->kind)].push_back(e);
      if (e->kind != DeclKind::Kpi) continue;
      for (const Link& link : kLinks) {
        if (Entity* to = target(*e, link.id)) ++(to->*link.count), ++total;
      }
    }
    const Entity** const related = model_->related_.allocate(total);
    // Each entity's block starts where the previous one's ends; `fill` is
    // where the next link of each of its three lists goes.
    std::vector<std::array<std::uint32_t, 3>> fill(model_->entities_.size());
    std::uint32_t at = 0;
    for (Entity* e : model_->entities_) {
      e->related_ = related + at;
      fill[e->order] = {at, at + e->kpi_count_, at + e->kpi_count_ + e->child_count_};
      at += e->kpi_count_ + e->child_count_ + e->owned_count_;
    }
    for (const auto& e : model_->entities_) {
      if (e->kind != DeclKind::Kpi || !e->checkable()) continue;
      for (std::size_t l = 0; l < kLinks.size(); ++l) {
        if (Entity* to = target(*e, kLinks[l].id)) related[fill[to->order][l]++] = e;
      }
    }
  }

  const Workspace& workspace_;
  std::vector<Diagnostic>* out_;
  BuildOptions options_;
  Model* model_ = nullptr;
  std::vector<Reference>* references_ = nullptr;  // model_->references_, or a worker's own list
  const UseTable* uses_ = nullptr;                // own_uses_, or the shared builder's
  UseTable own_uses_;
  const UseTable& uses() const { return uses_ ? *uses_ : own_uses_; }
  struct DanglingRef {
    const Entity* entity;
    const FieldSpec* spec;
    std::string_view field;
    const Value* value;
  };
  std::vector<DanglingRef> dangling_;
  std::vector<Entity*> unsettled_units_;  // KPIs whose unit check waits for the end of the fields pass
  const Document* uses_of_document_ = nullptr;  // uses_of()'s last answer
  const std::vector<std::string_view>* uses_of_modules_ = nullptr;
};

template <typename T>
Model::PlacedArray<T>::~PlacedArray() {
  std::destroy_n(data_, size_);
  if (data_ != nullptr) HugePageAllocator<T>().deallocate(data_, size_);
}

template <typename T>
T* Model::PlacedArray<T>::allocate(std::size_t n) {
  data_ = n == 0 ? nullptr : HugePageAllocator<T>().allocate(n);
  size_ = n;
  return data_;
}

template <typename T>
T& Model::PlacedArray<T>::make(std::size_t i) {
  return *new (data_ + i) T();
}

template class Model::PlacedArray<Entity>;
template class Model::PlacedArray<const Entity*>;
template class Model::PlacedArray<HashedName>;

Stdlib::Stdlib() { ModelBuilder::load_stdlib(*this); }

const Stdlib& Stdlib::instance() {
  static const Stdlib stdlib;
  return stdlib;
}

const Entity* Stdlib::find(std::string_view module, std::string_view name) const { return find_in({&module, 1}, name); }

const Entity* Stdlib::find_in(std::span<const std::string_view> modules, const HashedName& name) const {
  const auto it = by_name_.find(name);
  if (it == by_name_.end()) return nullptr;
  for (const std::string_view module : modules) {
    for (const auto& [home, metric] : it->second) {
      if (home == module) return metric;
    }
  }
  return nullptr;
}

bool Stdlib::has_module(std::string_view module) const { return modules_.count(module) != 0; }

std::vector<std::string_view> Stdlib::module_names() const {
  std::vector<std::string_view> names;
  for (const auto& [name, metrics] : modules_) names.push_back(name);
  std::sort(names.begin(), names.end());
  return names;
}

const Entity* Model::find(std::string_view name) const { return names_.find(name); }

std::vector<std::string_view> Model::names() const {
  std::vector<std::string_view> names;
  names.reserve(names_.size());
  names_.for_each([&](std::string_view name, const Entity*) { names.push_back(name); });
  std::sort(names.begin(), names.end());
  return names;
}

std::unique_ptr<Model> build_model(const Workspace& workspace, std::vector<Diagnostic>& diagnostics,
                                   const BuildOptions& options) {
  return ModelBuilder(workspace, diagnostics, options).build();
}

}  // namespace kpilint::model
