// The streaming JSON writer must write byte for byte what nlohmann::json's
// dump(2) writes for the same document: the json and SARIF formats were
// specified (and golden-tested) with it.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <random>
#include <string>

#include "render/json_writer.hpp"

namespace kpilint::render::detail {
namespace {

using Json = nlohmann::ordered_json;

std::string random_text(std::mt19937& random) {
  // Valid UTF-8 only: nlohmann and the writer agree on what to replace an
  // invalid byte with but not on how many bytes one replacement covers.
  static const char* const pieces[] = {"a", "Z", " ", "\"", "\\", "/", "\n", "\r", "\t", "\b", "\f", "\x01", "\x1f",
                                       "\x7f", "ã", "€", "😀", "{", "}", "é"};
  std::string text;
  const auto n = random() % 12;
  for (std::size_t i = 0; i < n; ++i) text += pieces[random() % std::size(pieces)];
  return text;
}

// Builds the same random document twice: as nlohmann JSON and through the writer.
Json random_value(std::mt19937& random, JsonWriter& writer, int depth) {
  const auto kind = depth > 3 ? random() % 4 : random() % 6;
  switch (kind) {
    case 0: {
      const std::string text = random_text(random);
      writer.value(text);
      return text;
    }
    case 1: {
      const auto n = static_cast<std::uint64_t>(random()) * 977;
      writer.value(n);
      return n;
    }
    case 2: {
      const auto n = -static_cast<std::int64_t>(random() % 100000);
      writer.value(n);
      return n;
    }
    case 3: {
      const bool b = random() % 2 == 0;
      writer.value(b);
      return b;
    }
    case 4: {
      Json array = Json::array();
      writer.begin_array();
      for (auto n = random() % 4; n > 0; --n) array.push_back(random_value(random, writer, depth + 1));
      writer.end_array();
      return array;
    }
    default: {
      Json object = Json::object();
      writer.begin_object();
      for (auto n = random() % 4; n > 0; --n) {
        const std::string key = random_text(random) + std::to_string(object.size());  // keys stay distinct
        writer.key(key);
        object[key] = random_value(random, writer, depth + 1);
      }
      writer.end_object();
      return object;
    }
  }
}

TEST_CASE("json writer: random documents come out as nlohmann's dump(2) writes them", "[render][json]") {
  std::mt19937 random(20261130);
  for (int round = 0; round < 500; ++round) {
    std::string written;
    JsonWriter writer(written);
    const Json expected = random_value(random, writer, 0);
    INFO("round " << round);
    REQUIRE(written == expected.dump(2, ' ', false));
  }
}

TEST_CASE("json writer: escapes and replaces invalid UTF-8 with U+FFFD", "[render][json]") {
  std::string out;
  append_json_escaped(out, "a\"b\\c\nd\x01\x7f ã \xff \xC3 😀");
  CHECK(out == "a\\\"b\\\\c\\nd\\u0001\x7f ã \xEF\xBF\xBD \xEF\xBF\xBD 😀");
}

TEST_CASE("json writer: empty containers and nesting", "[render][json]") {
  std::string out;
  JsonWriter json(out);
  json.begin_object();
  json.key("a");
  json.begin_array();
  json.end_array();
  json.key("b");
  json.begin_object();
  json.end_object();
  json.key("c");
  json.begin_array();
  json.value(1);
  json.begin_object();
  json.member("d", true);
  json.end_object();
  json.end_array();
  json.end_object();
  CHECK(out == "{\n  \"a\": [],\n  \"b\": {},\n  \"c\": [\n    1,\n    {\n      \"d\": true\n    }\n  ]\n}");
}

}  // namespace
}  // namespace kpilint::render::detail
