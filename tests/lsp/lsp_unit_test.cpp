// Unit tests of the language server's layers that need no process: framing,
// URIs, positions, the document store and the dispatcher.
#include <catch2/catch.hpp>

#include "lsp/documents.hpp"
#include "lsp/features.hpp"
#include "lsp/handlers.hpp"
#include "lsp/position.hpp"
#include "lsp/protocol.hpp"
#include "lsp/transport.hpp"
#include "lsp/uri.hpp"

using namespace kpilint;
using namespace kpilint::lsp;

TEST_CASE("frame decoder: whole, split and back-to-back frames") {
  std::vector<std::string> logs;
  FrameDecoder decoder([&](std::string_view m) { logs.emplace_back(m); });
  const std::string stream = frame(R"({"a":1})") + frame(R"({"b":"çã🚀"})") + frame("{}");
  for (char c : stream) decoder.feed(std::string_view(&c, 1));  // byte by byte
  CHECK(decoder.next() == std::optional<std::string>(R"({"a":1})"));
  CHECK(decoder.next() == std::optional<std::string>(R"({"b":"çã🚀"})"));  // Content-Length counts bytes
  CHECK(decoder.next() == std::optional<std::string>("{}"));
  CHECK_FALSE(decoder.next());
  CHECK(logs.empty());
}

TEST_CASE("frame decoder: extra headers, case and bare newlines are accepted") {
  FrameDecoder decoder;
  decoder.feed("content-length:  2\r\nContent-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n{}");
  decoder.feed("Content-Length: 2\n\n[]");
  CHECK(decoder.next() == std::optional<std::string>("{}"));
  CHECK(decoder.next() == std::optional<std::string>("[]"));
}

TEST_CASE("frame decoder: a frame without a valid Content-Length is skipped, the next one is read") {
  std::vector<std::string> logs;
  FrameDecoder decoder([&](std::string_view m) { logs.emplace_back(m); });
  decoder.feed("Content-Type: x\r\n\r\n");
  decoder.feed("Content-Length: abc\r\n\r\n");
  decoder.feed("garbage" + frame("{}"));
  CHECK(decoder.next() == std::optional<std::string>("{}"));
  CHECK(logs.size() >= 2);
}

TEST_CASE("frame decoder: an oversized body is dropped without being held") {
  FrameDecoder decoder;
  decoder.feed("Content-Length: " + std::to_string(FrameDecoder::kMaxBody + 10) + "\r\n\r\n");
  decoder.feed(std::string(1000, 'x'));
  CHECK_FALSE(decoder.next());
  CHECK(decoder.buffered() == 0);
}

TEST_CASE("frame decoder: a too-long Content-Length is recovered from through embedded_frame") {
  const std::string second = frame(R"({"id":2})");  // 29 bytes: a 21-byte header, then the body
  for (const std::size_t excess : {10u, 25u}) {    // ending inside the next header, or inside its body
    INFO(excess);
    FrameDecoder decoder;
    decoder.feed("Content-Length: " + std::to_string(8 + excess) + "\r\n\r\n{\"id\":1}" + second);
    auto body = decoder.next();
    REQUIRE(body);
    CHECK(body->size() == 8 + excess);
    const auto rest = embedded_frame(*body);
    REQUIRE(rest);
    decoder.unread(*rest);
    CHECK(decoder.next() == std::optional<std::string>(R"({"id":2})"));
  }
  CHECK_FALSE(embedded_frame(R"({"id":1,"x":"y"})"));
}

TEST_CASE("uri: decoding both escape cases, localhost, and other schemes") {
  CHECK(uri_to_path("file:///tmp/a%c3%a7%C3%A3o/x.kpi") == std::filesystem::path("/tmp/ação/x.kpi"));
  CHECK(uri_to_path("file://localhost/tmp/x.kpi") == std::filesystem::path("/tmp/x.kpi"));
  CHECK(uri_to_path("FILE:///tmp/./y/../x.kpi") == std::filesystem::path("/tmp/x.kpi"));
  CHECK_FALSE(uri_to_path("untitled:Untitled-1"));
  CHECK_FALSE(uri_to_path("file://server/share/x.kpi"));
  CHECK_FALSE(uri_to_path("file:relative.kpi"));
  CHECK(path_to_uri("/tmp/ação b/x.kpi") == "file:///tmp/a%C3%A7%C3%A3o%20b/x.kpi");
}

TEST_CASE("positions: UTF-16 and UTF-8 columns, past the end is no offset") {
  const std::string text = "a ç🚀 b\nsecond\n";
  const LineIndex lines(text);
  const auto size = static_cast<std::uint32_t>(text.size());
  // 'b' is after "a ç🚀 ": 1+1+2+4+1 = 9 bytes, 1+1+1+2+1 = 6 UTF-16 units.
  CHECK(to_offset(lines, size, {0, 6}, Encoding::Utf16) == std::optional<std::uint32_t>(9));
  CHECK(to_offset(lines, size, {0, 9}, Encoding::Utf8) == std::optional<std::uint32_t>(9));
  CHECK(to_position(lines, 9, Encoding::Utf16) == Position{0, 6});
  CHECK(to_position(lines, 9, Encoding::Utf8) == Position{0, 9});
  CHECK(to_offset(lines, size, {0, 99}, Encoding::Utf16) == std::optional<std::uint32_t>(10));  // clamps to the line end
  CHECK(to_offset(lines, size, {2, 0}, Encoding::Utf16) == std::optional<std::uint32_t>(size));
  CHECK(to_offset(lines, size, {3, 0}, Encoding::Utf16) == std::optional<std::uint32_t>(size));  // one past the last line
  CHECK_FALSE(to_offset(lines, size, {3, 1}, Encoding::Utf16));
  CHECK_FALSE(to_offset(lines, size, {9, 0}, Encoding::Utf16));
  CHECK_FALSE(to_span(lines, size, {{1, 2}, {0, 0}}, Encoding::Utf16));  // start after end
}

TEST_CASE("documents: incremental changes in UTF-16 units, validated against the text") {
  OpenDocument document;
  document.set_text("kpi a {\n  title: \"ç🚀x\"\n}\n");
  std::string error;
  // Replace the 'x' after the emoji: line 1, UTF-16 columns 13..14 (the emoji is two units).
  const json change = {{"range", {{"start", {{"line", 1}, {"character", 13}}}, {"end", {{"line", 1}, {"character", 14}}}}},
                       {"text", "yz"}};
  REQUIRE(DocumentStore::apply_change(document, change, Encoding::Utf16, error));
  CHECK(document.text == "kpi a {\n  title: \"ç🚀yz\"\n}\n");
  const json outside = {{"range", {{"start", {{"line", 7}, {"character", 0}}}, {"end", {{"line", 8}, {"character", 0}}}}},
                        {"text", "boom"}};
  CHECK_FALSE(DocumentStore::apply_change(document, outside, Encoding::Utf16, error));
  CHECK_FALSE(error.empty());
  CHECK(document.text == "kpi a {\n  title: \"ç🚀yz\"\n}\n");
  const json full = {{"text", "person p {}\n"}};
  REQUIRE(DocumentStore::apply_change(document, full, Encoding::Utf16, error));
  CHECK(document.text == "person p {}\n");
  CHECK(document.lines.line_count() == 2);
  CHECK_FALSE(DocumentStore::apply_change(document, json{{"range", nullptr}}, Encoding::Utf16, error));
}

TEST_CASE("dispatcher: lifecycle errors, unknown methods, bad params, exactly one reply") {
  HandlerTable table;
  table.on_request("initialize", [](const json&) { return json{{"capabilities", json::object()}}; });
  table.on_request("shutdown", [](const json&) { return json(nullptr); });
  table.on_request("echo", [](const json& p) { return json(string_member(p, "text")); });
  table.on_request("boom", [](const json&) -> json { throw std::runtime_error("bad"); });
  std::vector<json> sent;
  CancelSet cancelled;
  Dispatcher dispatcher(table, [&](const json& m) { sent.push_back(m); }, {}, cancelled);
  const auto request = [&](int id, const std::string& method, json params = json::object()) {
    sent.clear();
    dispatcher.dispatch({{"jsonrpc", "2.0"}, {"id", id}, {"method", method}, {"params", params}});
    REQUIRE(sent.size() == 1);
    return sent[0];
  };
  CHECK(request(1, "echo")["error"]["code"] == error_code::ServerNotInitialized);
  CHECK(request(2, "initialize").contains("result"));
  CHECK(request(3, "initialize")["error"]["code"] == error_code::InvalidRequest);
  CHECK(request(4, "nope")["error"]["code"] == error_code::MethodNotFound);
  CHECK(request(5, "echo")["error"]["code"] == error_code::InvalidParams);
  CHECK(request(6, "echo", {{"text", 5}})["error"]["code"] == error_code::InvalidParams);
  CHECK(request(7, "echo", {{"text", "hi"}})["result"] == "hi");
  CHECK(request(8, "boom")["error"]["code"] == error_code::InternalError);
  cancelled.add(9);
  CHECK(request(9, "echo", {{"text", "hi"}})["error"]["code"] == error_code::RequestCancelled);
  CHECK(request(10, "shutdown")["result"].is_null());
  CHECK(request(11, "echo", {{"text", "hi"}})["error"]["code"] == error_code::InvalidRequest);
  sent.clear();
  dispatcher.dispatch(json::array({1, 2}));
  REQUIRE(sent.size() == 1);
  CHECK(sent[0]["error"]["code"] == error_code::InvalidRequest);
  sent.clear();
  dispatcher.dispatch({{"jsonrpc", "2.0"}, {"method", "unknown/notification"}});
  CHECK(sent.empty());
}

TEST_CASE("declaration names for rename") {
  CHECK(valid_declaration_name("new_name2"));
  CHECK(valid_declaration_name("_x"));
  CHECK_FALSE(valid_declaration_name(""));
  CHECK_FALSE(valid_declaration_name("2x"));
  CHECK_FALSE(valid_declaration_name("with space"));
  CHECK_FALSE(valid_declaration_name("ação"));
  CHECK_FALSE(valid_declaration_name("kpi"));
  CHECK_FALSE(valid_declaration_name("true"));
}
