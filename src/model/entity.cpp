#include "model/entity.hpp"

namespace kpilint::model {

FieldRead read_field(const Entity& entity, FieldId id) {
  const FieldSlot& own = entity.slot(id);
  if (own.field != nullptr) {
    if (entity.invalid(id)) return {ReadState::Unknown};
    return {ReadState::Present, own.field, own.ref, &entity};
  }
  if (inherited_spec(entity.kind, id) == nullptr) return {ReadState::Absent};
  const FieldSlot& metric = entity.slot(FieldId::Metric);
  if (metric.field == nullptr) return {ReadState::Absent};
  if (entity.invalid(FieldId::Metric) || metric.ref == nullptr) return {ReadState::Unknown};
  return read_field(*metric.ref, id);
}

}  // namespace kpilint::model
