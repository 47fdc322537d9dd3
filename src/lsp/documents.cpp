#include "lsp/documents.hpp"

#include "lsp/position.hpp"

namespace kpilint::lsp {

namespace fs = std::filesystem;

void OpenDocument::set_text(std::string new_text) {
  text = std::move(new_text);
  lines = LineIndex(text);
}

OpenDocument& DocumentStore::open(std::string uri, fs::path path, std::string language_id, std::int64_t version,
                                  std::string text) {
  auto document = std::make_unique<OpenDocument>();
  document->uri = std::move(uri);
  document->path = path;
  document->language_id = std::move(language_id);
  document->version = version;
  document->set_text(std::move(text));
  auto& slot = documents_[path];
  slot = std::move(document);
  return *slot;
}

bool DocumentStore::close(const fs::path& path) { return documents_.erase(path) > 0; }

OpenDocument* DocumentStore::find(const fs::path& path) {
  const auto it = documents_.find(path);
  return it == documents_.end() ? nullptr : it->second.get();
}

const OpenDocument* DocumentStore::find(const fs::path& path) const {
  const auto it = documents_.find(path);
  return it == documents_.end() ? nullptr : it->second.get();
}

std::vector<OpenDocument*> DocumentStore::all() {
  std::vector<OpenDocument*> out;
  out.reserve(documents_.size());
  for (auto& [path, document] : documents_) out.push_back(document.get());
  return out;
}

bool DocumentStore::apply_change(OpenDocument& document, const json& change, Encoding encoding, std::string& error) {
  if (!change.is_object()) {
    error = "a content change must be an object";
    return false;
  }
  const json* text = find_member(change, "text");
  if (!text || !text->is_string()) {
    error = "a content change needs a string `text`";
    return false;
  }
  const json* range = find_member(change, "range");
  if (!range) {
    document.set_text(text->get<std::string>());
    return true;
  }
  Range parsed;
  try {
    parsed = range_from_json(*range);
  } catch (const ResponseError& e) {
    error = e.what();
    return false;
  }
  const auto span = to_span(document.lines, document.size(), parsed, encoding);
  if (!span) {
    error = "the change range " + std::to_string(parsed.start.line) + ":" + std::to_string(parsed.start.character) +
            "-" + std::to_string(parsed.end.line) + ":" + std::to_string(parsed.end.character) +
            " lies outside the document (" + std::to_string(document.lines.line_count()) + " lines)";
    return false;
  }
  const std::string& replacement = text->get_ref<const std::string&>();
  std::string updated;
  updated.reserve(document.text.size() - span->size() + replacement.size());
  updated.append(document.text, 0, span->begin);
  updated.append(replacement);
  updated.append(document.text, span->end, std::string::npos);
  document.set_text(std::move(updated));
  return true;
}

}  // namespace kpilint::lsp
