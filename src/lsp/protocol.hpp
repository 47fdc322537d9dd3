#pragma once
// JSON-RPC 2.0 and the LSP 3.17 types the server uses, as thin helpers over
// nlohmann::json: building responses, errors and notifications, reading
// params defensively (a wrong type is InvalidParams, never a crash), and
// Position/Range.
#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace kpilint::lsp {

using json = nlohmann::json;

namespace error_code {
inline constexpr int ParseError = -32700;
inline constexpr int InvalidRequest = -32600;
inline constexpr int MethodNotFound = -32601;
inline constexpr int InvalidParams = -32602;
inline constexpr int InternalError = -32603;
inline constexpr int ServerNotInitialized = -32002;
inline constexpr int RequestFailed = -32803;
inline constexpr int RequestCancelled = -32800;
inline constexpr int ContentModified = -32801;
}  // namespace error_code

// Thrown by a handler to answer with an error response.
struct ResponseError : std::runtime_error {
  ResponseError(int code, const std::string& message) : std::runtime_error(message), code(code) {}
  int code;
};

json make_response(const json& id, json result);
json make_error(const json& id, int code, std::string_view message);
json make_notification(std::string_view method, json params);

// Serialises for the wire: invalid UTF-8 (from a file on disk) becomes U+FFFD
// rather than an exception.
std::string serialize(const json& message);

// Parameter access. Each throws ResponseError(InvalidParams) naming the
// missing or mistyped member.
const json& member(const json& object, std::string_view key);
std::string string_member(const json& object, std::string_view key);
std::int64_t int_member(const json& object, std::string_view key);
// An optional member of the given JSON type, or nullptr.
const json* find_member(const json& object, std::string_view key);
const json* find_object(const json& object, std::string_view key);
const json* find_array(const json& object, std::string_view key);
std::optional<std::string> find_string(const json& object, std::string_view key);
bool find_bool(const json& object, std::string_view key, bool fallback = false);
// A nested path of object members ("capabilities", "textDocument", …); nullptr when absent.
const json* find_path(const json& object, std::initializer_list<std::string_view> path);

struct Position {
  std::uint32_t line = 0;
  std::uint32_t character = 0;
  friend bool operator==(Position, Position) = default;
};

struct Range {
  Position start, end;
  friend bool operator==(const Range&, const Range&) = default;
};

json to_json(Position position);
json to_json(const Range& range);
Position position_from_json(const json& value);  // throws InvalidParams
Range range_from_json(const json& value);        // throws InvalidParams

// LSP enums used here.
namespace symbol_kind {
inline constexpr int Module = 2, Namespace = 3, Class = 5, Property = 7, Field = 8, Interface = 11,
                     Variable = 13, Object = 19, Event = 24;
}
namespace completion_kind {
inline constexpr int Text = 1, Field = 5, Variable = 6, Class = 7, Module = 9, Property = 10, Unit = 11,
                     Value = 12, Enum = 13, Keyword = 14, Snippet = 15, Reference = 18, EnumMember = 20,
                     Struct = 22, Event = 23;
}

}  // namespace kpilint::lsp
