#include "model/entity.hpp"

namespace kpilint::model {

const syntax::Field* Entity::far_field(FieldId id) const {
  for (const syntax::Field& field : all_fields()) {
    if (field_from_name(field.name()) == id) return &field;
  }
  return nullptr;  // not reached: set_field saw it
}

FieldRead read_field(const Entity& entity, FieldId id) {
  const FieldOwner at = field_owner(entity, id);
  if (at.state != ReadState::Present) return {at.state};
  const FieldSlot slot = at.owner->slot(id);
  return {ReadState::Present, slot.field, slot.ref, at.owner};
}

bool is_business(const Entity& kpi) {
  if (const WordRead word = read_word(kpi, FieldId::Level); word.state != ReadState::Present || word.word != 0) {
    return word.state == ReadState::Present && enum_word_text(static_cast<std::uint8_t>(word.word - 1)) == "business";
  }
  const FieldRead level = read_field(kpi, FieldId::Level);
  return level.state == ReadState::Present && level.field != nullptr && level.field->value.text() == "business";
}

std::string_view title_or_name(const Entity& entity) {
  const FieldSlot title = entity.slot(FieldId::Title);
  if (title.field != nullptr && title.field->value.kind == syntax::ValueKind::String) return title.field->value.text();
  return entity.name;
}

}  // namespace kpilint::model
