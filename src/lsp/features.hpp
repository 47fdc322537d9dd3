#pragma once
// The language features, each a function of one snapshot (the library's
// model and diagnostics) and a position: diagnostics → LSP, hover,
// definition, references, document symbols, completion, rename, code actions
// and formatting. They read the model; they never check anything themselves.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>

#include "base/line_index.hpp"
#include "lsp/analysis.hpp"
#include "lsp/protocol.hpp"

namespace kpilint::lsp {

struct ClientFeatures {
  bool hierarchical_symbols = false;
  bool markdown_hover = false;
  bool snippets = false;
  bool related_information = true;
  bool diagnostic_tags = true;
};

struct FeatureContext {
  const Snapshot& snapshot;
  Encoding encoding = Encoding::Utf16;
  const ClientFeatures& client;
  // The URI to show for a file: the one the client sent when it has it open.
  std::function<std::string(const std::filesystem::path&)> uri_of;
  std::string docs_base_url;  // codeDescription.href = this + code, when set
};

// The LSP Diagnostic[] of one document.
json diagnostics_json(const FeatureContext& context, const model::Document& document);

// Each returns the `result` of its request (null when there is nothing at
// that position). `offset` is a byte offset into document.source->text.
json hover(const FeatureContext& context, const model::Document& document, std::uint32_t offset);
json definition(const FeatureContext& context, const model::Document& document, std::uint32_t offset);
json references(const FeatureContext& context, const model::Document& document, std::uint32_t offset,
                bool include_declaration);
json document_symbols(const FeatureContext& context, const model::Document& document);
// The declarations of the snapshot's workspace whose names contain `query`
// as a subsequence, case-insensitively (what editors' "go to symbol" expects),
// as SymbolInformation[]; at most `limit` of them, in path order.
json workspace_symbols(const FeatureContext& context, std::string_view query, std::size_t limit);
json completion(const FeatureContext& context, const model::Document& document, std::uint32_t offset);
json prepare_rename(const FeatureContext& context, const model::Document& document, std::uint32_t offset);
// Throws ResponseError for an invalid new name or a name that cannot be renamed.
json rename(const FeatureContext& context, const model::Document& document, std::uint32_t offset,
            const std::string& new_name);
json code_actions(const FeatureContext& context, const model::Document& document, Span range);
json formatting(const FeatureContext& context, const model::Document& document);

// Whether `name` can name a declaration (an identifier, not a keyword).
bool valid_declaration_name(std::string_view name);

}  // namespace kpilint::lsp
