#include "model/values.hpp"

namespace kpilint::model {

bool is_valid_date(int year, int month, int day) {
  if (month < 1 || month > 12 || day < 1) return false;
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  const int days = month == 2 && leap ? 29 : kDays[month - 1];
  return day <= days;
}

std::string_view target_unit(const syntax::Target& target) {
  if (target.unit.kind == syntax::ValueKind::Word) return target.unit.text();
  if (target.value.kind == syntax::ValueKind::Number && target.value.percent) return "percent";
  return {};
}

}  // namespace kpilint::model
