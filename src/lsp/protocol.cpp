#include "lsp/protocol.hpp"

#include <limits>

namespace kpilint::lsp {

json make_response(const json& id, json result) {
  return json{{"jsonrpc", "2.0"}, {"id", id}, {"result", std::move(result)}};
}

json make_error(const json& id, int code, std::string_view message) {
  return json{{"jsonrpc", "2.0"}, {"id", id}, {"error", {{"code", code}, {"message", std::string(message)}}}};
}

json make_notification(std::string_view method, json params) {
  return json{{"jsonrpc", "2.0"}, {"method", std::string(method)}, {"params", std::move(params)}};
}

std::string serialize(const json& message) { return message.dump(-1, ' ', false, json::error_handler_t::replace); }

namespace {
[[noreturn]] void invalid(std::string_view key, std::string_view what) {
  throw ResponseError(error_code::InvalidParams, "`" + std::string(key) + "` " + std::string(what));
}
}  // namespace

const json* find_member(const json& object, std::string_view key) {
  if (!object.is_object()) return nullptr;
  const auto it = object.find(key);
  if (it == object.end() || it->is_null()) return nullptr;
  return &*it;
}

const json& member(const json& object, std::string_view key) {
  const json* value = find_member(object, key);
  if (!value) invalid(key, "is missing");
  return *value;
}

std::string string_member(const json& object, std::string_view key) {
  const json& value = member(object, key);
  if (!value.is_string()) invalid(key, "must be a string");
  return value.get<std::string>();
}

std::int64_t int_member(const json& object, std::string_view key) {
  const json& value = member(object, key);
  if (!value.is_number_integer()) invalid(key, "must be an integer");
  return value.get<std::int64_t>();
}

const json* find_object(const json& object, std::string_view key) {
  const json* value = find_member(object, key);
  return value && value->is_object() ? value : nullptr;
}

const json* find_array(const json& object, std::string_view key) {
  const json* value = find_member(object, key);
  return value && value->is_array() ? value : nullptr;
}

std::optional<std::string> find_string(const json& object, std::string_view key) {
  const json* value = find_member(object, key);
  if (!value || !value->is_string()) return std::nullopt;
  return value->get<std::string>();
}

bool find_bool(const json& object, std::string_view key, bool fallback) {
  const json* value = find_member(object, key);
  return value && value->is_boolean() ? value->get<bool>() : fallback;
}

const json* find_path(const json& object, std::initializer_list<std::string_view> path) {
  const json* at = &object;
  for (const auto key : path) {
    at = find_member(*at, key);
    if (!at) return nullptr;
  }
  return at;
}

json to_json(Position position) { return json{{"line", position.line}, {"character", position.character}}; }

json to_json(const Range& range) { return json{{"start", to_json(range.start)}, {"end", to_json(range.end)}}; }

Position position_from_json(const json& value) {
  const auto unsigned_member = [&](std::string_view key) {
    const json& v = member(value, key);
    if (!v.is_number_integer() || v.get<std::int64_t>() < 0 ||
        v.get<std::int64_t>() > std::numeric_limits<std::uint32_t>::max()) {
      invalid(key, "must be a non-negative integer");
    }
    return static_cast<std::uint32_t>(v.get<std::int64_t>());
  };
  if (!value.is_object()) invalid("position", "must be an object");
  return {unsigned_member("line"), unsigned_member("character")};
}

Range range_from_json(const json& value) {
  if (!value.is_object()) invalid("range", "must be an object");
  return {position_from_json(member(value, "start")), position_from_json(member(value, "end"))};
}

}  // namespace kpilint::lsp
