#pragma once
// The buffers the client has open: their text (which overrides the file on
// disk), version, and the URI exactly as the client wrote it. Keyed by the
// decoded path, so two spellings of one URI are one document.
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/line_index.hpp"
#include "lsp/protocol.hpp"

namespace kpilint::lsp {

struct OpenDocument {
  std::string uri;                    // as the client sent it: echoed back unchanged
  std::filesystem::path path;         // decoded, absolute, lexically normal
  std::string language_id;
  std::int64_t version = 0;
  std::string text;
  LineIndex lines;                    // over `text`; rebuilt on every change

  OpenDocument() = default;
  OpenDocument(const OpenDocument&) = delete;
  OpenDocument& operator=(const OpenDocument&) = delete;
  void set_text(std::string new_text);
  std::uint32_t size() const { return static_cast<std::uint32_t>(text.size()); }
};

class DocumentStore {
 public:
  // Opens (or re-opens, replacing) the buffer of `path`.
  OpenDocument& open(std::string uri, std::filesystem::path path, std::string language_id, std::int64_t version,
                     std::string text);
  bool close(const std::filesystem::path& path);
  OpenDocument* find(const std::filesystem::path& path);
  const OpenDocument* find(const std::filesystem::path& path) const;
  std::vector<OpenDocument*> all();

  // Applies one `TextDocumentContentChangeEvent`: `{range, text}` replaces the
  // range (in `encoding` units), `{text}` replaces everything. On a range that
  // does not fit the text held, returns false with `error` set and leaves the
  // text unchanged.
  static bool apply_change(OpenDocument& document, const json& change, Encoding encoding, std::string& error);

 private:
  std::map<std::filesystem::path, std::unique_ptr<OpenDocument>> documents_;
};

}  // namespace kpilint::lsp
