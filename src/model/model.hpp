#pragma once
// The resolved workspace: one namespace of declarations, each field's
// references resolved by kind, stdlib metrics brought in by `use`, parent
// chains checked for cycles. Building it reports the language diagnostics
// KPI002–KPI007; KPI001 comes from the parser.
#include <deque>
#include <memory>
#include <ranges>
#include <span>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <absl/container/flat_hash_map.h>

#include "base/diagnostic.hpp"
#include "base/uninitialized.hpp"
#include "model/entity.hpp"
#include "model/name_table.hpp"
#include "model/workspace.hpp"

namespace kpilint::model {

// The embedded stdlib (stdlib/*.kpi compiled into the binary), parsed once.
class Stdlib {
 public:
  static const Stdlib& instance();
  // The metric `name` of module `module` ("marketing"), or nullptr.
  const Entity* find(std::string_view module, std::string_view name) const;
  // The metric `name` of the first of `modules` that has one (a file's
  // `use` list, in order), or nullptr. One hash lookup: every KPI's metric
  // is looked up here.
  const Entity* find_in(std::span<const std::string_view> modules, std::string_view name) const {
    return find_in(modules, NameTable::hashed(name));
  }
  const Entity* find_in(std::span<const std::string_view> modules, const HashedName& name) const;
  bool has_module(std::string_view module) const;
  std::vector<std::string_view> module_names() const;
  std::span<const std::unique_ptr<Document>> documents() const { return documents_; }

 private:
  Stdlib();
  std::vector<std::unique_ptr<Document>> documents_;
  std::vector<std::unique_ptr<Entity>> entities_;
  std::unordered_map<std::string_view, std::unordered_map<std::string_view, const Entity*>> modules_;
  // Metric name -> (module, metric) for every module that has it.
  absl::flat_hash_map<std::string_view, std::vector<std::pair<std::string_view, const Entity*>>, NameHash, NameEq> by_name_;
  friend class ModelBuilder;
};

// One name token that refers to a declaration (for definition, references,
// rename and hover). `span` covers the name only, never the '@'.
struct Reference {
  const Document* document = nullptr;
  Span span;
  const Entity* target = nullptr;  // nullptr when it did not resolve
  FieldId field = FieldId::Name;
};

class Model {
 public:
  // Every workspace declaration except `use`, in path order (duplicates included).
  std::span<Entity* const> entities() const { return entities_; }
  // The checkable entities of one kind, in path order.
  std::span<const Entity* const> of_kind(DeclKind kind) const { return by_kind_[static_cast<int>(kind)]; }
  // The first definition of `name` in the workspace namespace, or nullptr.
  const Entity* find(std::string_view name) const;
  // Every name in the workspace namespace (for suggestions and completion).
  std::vector<std::string_view> names() const;
  // Every reference token in the workspace, in path order: one list per
  // worker of the resolving pass, read as one sequence (a workspace of
  // 100,000 KPIs has some 320,000; they are not copied into one array).
  auto references() const { return std::views::join(references_); }

 private:
  std::deque<std::vector<Reference>> references_;  // a deque: a worker's list stays where it is while others are added
  // n objects in one allocation on huge pages (when large), made in place
  // (in parallel, for entities) and never moved.
  template <typename T>
  class PlacedArray {
   public:
    PlacedArray() = default;
    PlacedArray(const PlacedArray&) = delete;
    PlacedArray& operator=(const PlacedArray&) = delete;
    ~PlacedArray();  // destroys all n: each must have been made (or T be trivially destructible)
    // Room for n, none made yet; make(i) makes the i-th (once each).
    T* allocate(std::size_t n);
    T& make(std::size_t i);
    T& operator[](std::size_t i) { return data_[i]; }

   private:
    T* data_ = nullptr;
    std::size_t size_ = 0;
  };
  // Every declaration's entity.
  PlacedArray<Entity> storage_;
  std::vector<Entity*, NoInitAllocator<Entity*>> entities_;
  // Every entity's relations, one after another (Entity::kpis() and the
  // others view into it).
  PlacedArray<const Entity*> related_;
  std::vector<const Entity*> by_kind_[syntax::kDeclKindCount];
  NameTable names_;
  friend class ModelBuilder;
};

// Resolves a loaded workspace. Appends KPI002–KPI007 to `diagnostics` (for
// every document; the caller filters by `Document::reported`).
struct BuildOptions {
  // Record every name token in Model::references() (definition, references,
  // rename in the language server). A command-line check does not read them.
  bool references = true;
};

std::unique_ptr<Model> build_model(const Workspace& workspace, std::vector<Diagnostic>& diagnostics,
                                   const BuildOptions& options = {});

}  // namespace kpilint::model
