#pragma once
// file: URIs and paths. Clients differ in how they percent-encode (Neovim
// writes `%c3%a7`, VS Code `%C3%A7` and also escapes `:`), so the server never
// compares URIs as strings: it decodes them to paths, and echoes back the URI
// a client sent for a document it opened.
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace kpilint::lsp {

// The absolute, lexically normal path of a `file:` URI, or nullopt for
// another scheme or a URI that is not an absolute file path.
std::optional<std::filesystem::path> uri_to_path(std::string_view uri);

// `file:///…` with RFC 3986 percent-encoding (upper-case hex).
std::string path_to_uri(const std::filesystem::path& path);

}  // namespace kpilint::lsp
