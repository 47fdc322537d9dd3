// field_from_name is looked up for every field of a workspace, through a
// table by length and first letter and a comparison of short byte runs. It
// must know every field name and nothing else, whatever byte differs.
#include <catch2/catch.hpp>

#include <string>

#include "model/schema.hpp"

using namespace kpilint::model;

TEST_CASE("field names map to their fields, and nothing else does", "[model][schema]") {
  for (int i = 0; i < kFieldCount; ++i) {
    const auto id = static_cast<FieldId>(i);
    const std::string name(field_name(id));
    INFO(name);
    REQUIRE(field_from_name(name) == id);
    // One byte changed, wherever it is (the comparison loads overlapping words).
    for (std::size_t at = 0; at < name.size(); ++at) {
      for (const char c : {'x', '_', '0', static_cast<char>(name[at] ^ 0x20), static_cast<char>(name[at] + 1)}) {
        if (c == name[at]) continue;
        std::string changed = name;
        changed[at] = c;
        const auto found = field_from_name(changed);
        CHECK((!found || field_name(*found) == changed));
      }
    }
    CHECK_FALSE(field_from_name(name.substr(0, name.size() - 1)));
    CHECK_FALSE(field_from_name(name.substr(1)));
    CHECK_FALSE(field_from_name(name + "s"));
    CHECK_FALSE(field_from_name("_" + name));
  }
  CHECK_FALSE(field_from_name(""));
  CHECK_FALSE(field_from_name("o"));
  CHECK_FALSE(field_from_name("Owner"));
  CHECK_FALSE(field_from_name("stakeholders_and_more_than_fifteen"));
  CHECK(field_from_name("source") == FieldId::Source);  // two names share length and first letter
  CHECK(field_from_name("set_by") == FieldId::SetBy);
  CHECK_FALSE(field_from_name("set_bx"));
}
