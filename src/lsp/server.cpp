#include "lsp/server.hpp"

#include <time.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>

#include "base/i18n.hpp"
#include "lsp/analysis.hpp"
#include "lsp/documents.hpp"
#include "lsp/features.hpp"
#include "lsp/handlers.hpp"
#include "lsp/position.hpp"
#include "lsp/protocol.hpp"
#include "lsp/transport.hpp"
#include "lsp/uri.hpp"
#include "model/workspace.hpp"

namespace kpilint::lsp {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

void log_line(std::string_view message) {
  std::fprintf(stderr, "kpilint lsp: %.*s\n", static_cast<int>(message.size()), message.data());
  std::fflush(stderr);
}

double thread_cpu_ms() {
  timespec now{};
  ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) * 1000.0 + static_cast<double>(now.tv_nsec) / 1e6;
}

bool changes_documents(std::string_view method) {
  return method == "textDocument/didOpen" || method == "textDocument/didChange" ||
         method == "textDocument/didClose" || method == "workspace/didChangeWatchedFiles" ||
         method == "workspace/didChangeWorkspaceFolders";
}

bool is_under(const fs::path& path, const fs::path& folder) {
  const fs::path relative = path.lexically_relative(folder);
  return !relative.empty() && *relative.begin() != "..";
}

bool contains_string(const json* array, std::string_view value) {
  if (!array || !array->is_array()) return false;
  return std::any_of(array->begin(), array->end(), [&](const json& v) { return v.is_string() && v.get<std::string>() == value; });
}

class Server {
 public:
  Server(int in_fd, int out_fd, const ServerOptions& options)
      : reader_(in_fd, log_line),
        writer_(out_fd),
        dispatcher_(table_, [this](const json& message) { send(message); }, log_line, cancelled_),
        debounce_(std::chrono::milliseconds(std::max(0, options.debounce_ms))),
        verbose_(options.verbose),
        follow_client_locale_(options.follow_client_locale) {
    register_handlers();
  }

  int run() {
    std::thread reader([this] { read_loop(); });
    while (!exit_code_) {
      std::optional<Clock::time_point> deadline;
      if (any_dirty()) deadline = last_lint_ + debounce_;
      auto item = pop(deadline);
      if (!item) {
        lint_dirty();
        continue;
      }
      if (item->end) {
        if (dispatcher_.phase() != Dispatcher::Phase::ShutDown) log_line("the input ended without shutdown and exit");
        exit_code_ = dispatcher_.phase() == Dispatcher::Phase::ShutDown ? 0 : 1;
        break;
      }
      dispatcher_.dispatch(item->message);
      if (item->change) --pending_changes_;
    }
    reader_.stop();
    reader.join();
    return *exit_code_;
  }

 private:
  struct Incoming {
    bool end = false;
    bool change = false;  // a notification that changes documents
    json message;
  };

  struct Group {  // one workspace: its open documents are linted together
    std::unique_ptr<Snapshot> snapshot;
    bool dirty = true;
    std::set<std::string> shown_errors;
  };

  struct Published {
    std::string uri;
    std::int64_t version = 0;
    std::string diagnostics;
  };

  // ---- the reading thread -------------------------------------------------

  void read_loop() {
    std::string body;
    for (;;) {
      const auto status = reader_.read(body);
      if (status != MessageReader::Status::Message) {
        if (status == MessageReader::Status::End) push({true, false, nullptr});
        return;
      }
      json message;
      try {
        message = json::parse(body);
      } catch (const json::exception& e) {
        log_line(std::string("malformed JSON message: ") + e.what());
        send(make_error(nullptr, error_code::ParseError, std::string("malformed JSON: ") + e.what()));
        // A Content-Length that was too large swallowed the next message: resynchronise on it.
        if (const auto rest = embedded_frame(body)) reader_.decoder().unread(*rest);
        continue;
      }
      Incoming incoming{false, false, std::move(message)};
      if (incoming.message.is_object()) {
        const json* method = find_member(incoming.message, "method");
        const bool notification = !incoming.message.contains("id");
        if (method && method->is_string() && notification) {
          const std::string& name = method->get_ref<const std::string&>();
          if (name == "$/cancelRequest") {
            if (const json* id = find_path(incoming.message, {"params", "id"})) cancelled_.add(*id);
            continue;
          }
          incoming.change = changes_documents(name);
        }
      }
      if (incoming.change) ++pending_changes_;
      push(std::move(incoming));
    }
  }

  void push(Incoming incoming) {
    {
      std::lock_guard lock(queue_mutex_);
      queue_.push_back(std::move(incoming));
    }
    queue_ready_.notify_one();
  }

  std::optional<Incoming> pop(std::optional<Clock::time_point> deadline) {
    std::unique_lock lock(queue_mutex_);
    if (deadline) {
      queue_ready_.wait_until(lock, *deadline, [&] { return !queue_.empty(); });
    } else {
      queue_ready_.wait(lock, [&] { return !queue_.empty(); });
    }
    if (queue_.empty()) return std::nullopt;
    Incoming item = std::move(queue_.front());
    queue_.pop_front();
    return item;
  }

  void send(const json& message) {
    if (!writer_.write(serialize(message))) log_line("cannot write to the client");
  }

  // ---- the handler table --------------------------------------------------

  void register_handlers() {
    table_.on_request("initialize", [this](const json& p) { return initialize(p); });
    table_.on_request("shutdown", [](const json&) { return json(nullptr); });
    table_.on_notification("initialized", [this](const json&) { initialized(); });
    table_.on_notification("exit", [this](const json&) {
      exit_code_ = dispatcher_.phase() == Dispatcher::Phase::ShutDown ? 0 : 1;
    });
    table_.on_notification("textDocument/didOpen", [this](const json& p) { did_open(p); });
    table_.on_notification("textDocument/didChange", [this](const json& p) { did_change(p); });
    table_.on_notification("textDocument/didClose", [this](const json& p) { did_close(p); });
    table_.on_notification("textDocument/didSave", [](const json&) {});  // the buffer already is the text
    table_.on_notification("workspace/didChangeWatchedFiles", [this](const json&) { regroup(); });
    table_.on_notification("workspace/didChangeConfiguration", [](const json&) {});
    table_.on_notification("workspace/didChangeWorkspaceFolders", [this](const json& p) { change_folders(p); });
    table_.on_notification("$/setTrace", [](const json&) {});

    table_.on_request("textDocument/hover", [this](const json& p) {
      return with_position(p, [](const FeatureContext& c, const model::Document& d, std::uint32_t o) { return hover(c, d, o); });
    });
    table_.on_request("textDocument/definition", [this](const json& p) {
      return with_position(p, [](const FeatureContext& c, const model::Document& d, std::uint32_t o) { return definition(c, d, o); });
    });
    table_.on_request("textDocument/references", [this](const json& p) {
      const json* ctx = find_object(p, "context");
      const bool declaration = ctx ? find_bool(*ctx, "includeDeclaration", true) : true;
      return with_position(p, [&](const FeatureContext& c, const model::Document& d, std::uint32_t o) {
        return references(c, d, o, declaration);
      });
    });
    table_.on_request("textDocument/completion", [this](const json& p) {
      return with_position(p, [](const FeatureContext& c, const model::Document& d, std::uint32_t o) { return completion(c, d, o); });
    });
    table_.on_request("textDocument/prepareRename", [this](const json& p) {
      return with_position(p, [](const FeatureContext& c, const model::Document& d, std::uint32_t o) { return prepare_rename(c, d, o); });
    });
    table_.on_request("textDocument/rename", [this](const json& p) {
      const std::string new_name = string_member(p, "newName");
      const json result = with_position(p, [&](const FeatureContext& c, const model::Document& d, std::uint32_t o) {
        return rename(c, d, o, new_name);
      });
      if (result.is_null()) throw ResponseError(error_code::RequestFailed, std::string(i18n::text("lsp.rename.nothing")));
      return result;
    });
    table_.on_request("textDocument/documentSymbol", [this](const json& p) {
      const auto at = locate(p);
      if (!at) return json(nullptr);
      return document_symbols(context(*at->snapshot), *at->document);
    });
    table_.on_request("workspace/symbol", [this](const json& p) {
      const std::string query = find_string(p, "query").value_or("");
      constexpr std::size_t kLimit = 1000;  // a picker shows a screenful; the rest costs JSON
      json out = json::array();
      for (auto& [root, group] : groups_) {
        if (group.dirty || !group.snapshot) lint(root, group, true);
        if (!group.snapshot) continue;
        for (auto& symbol : workspace_symbols(context(*group.snapshot), query, kLimit - out.size())) out.push_back(std::move(symbol));
        if (out.size() >= kLimit) break;
      }
      return out;
    });
    table_.on_request("textDocument/codeAction", [this](const json& p) {
      const auto at = locate(p);
      if (!at) return json(nullptr);
      const auto span = to_span(at->document->source->lines(), static_cast<std::uint32_t>(at->document->source->text.size()),
                                range_from_json(member(p, "range")), encoding_);
      if (!span) return json(nullptr);
      return code_actions(context(*at->snapshot), *at->document, *span);
    });
    table_.on_request("textDocument/formatting", [this](const json& p) {
      const auto at = locate(p);
      if (!at) return json(nullptr);
      return formatting(context(*at->snapshot), *at->document);
    });
  }

  // ---- lifecycle ----------------------------------------------------------

  json initialize(const json& params) {
    static const json kEmpty = json::object();
    // Diagnostics in the editor's language: `locale` is "pt-BR", "en", … (LSP 3.16).
    if (follow_client_locale_) {
      if (const auto locale = find_string(params, "locale")) {
        if (const auto language = i18n::parse_language(*locale)) i18n::set_language(*language);
      }
    }
    const json* caps_ptr = find_object(params, "capabilities");
    const json& caps = caps_ptr ? *caps_ptr : kEmpty;
    encoding_ = contains_string(find_path(caps, {"general", "positionEncodings"}), "utf-8") ? Encoding::Utf8 : Encoding::Utf16;
    if (const json* v = find_path(caps, {"textDocument", "documentSymbol", "hierarchicalDocumentSymbolSupport"})) {
      client_.hierarchical_symbols = v->is_boolean() && v->get<bool>();
    }
    client_.markdown_hover = contains_string(find_path(caps, {"textDocument", "hover", "contentFormat"}), "markdown");
    if (const json* v = find_path(caps, {"textDocument", "publishDiagnostics", "relatedInformation"})) {
      client_.related_information = !v->is_boolean() || v->get<bool>();
    }
    if (const json* v = find_path(caps, {"textDocument", "completion", "completionItem", "snippetSupport"})) {
      client_.snippets = v->is_boolean() && v->get<bool>();
    }
    const json* prepare = find_path(caps, {"textDocument", "rename", "prepareSupport"});
    const bool prepare_support = prepare && prepare->is_boolean() && prepare->get<bool>();
    const json* watch = find_path(caps, {"workspace", "didChangeWatchedFiles", "dynamicRegistration"});
    register_watchers_ = watch && watch->is_boolean() && watch->get<bool>();

    if (const json* folders = find_array(params, "workspaceFolders")) {
      for (const json& folder : *folders) {
        if (const auto uri = folder.is_object() ? find_string(folder, "uri") : std::nullopt) {
          if (const auto path = uri_to_path(*uri)) folders_.push_back(*path);
        }
      }
    }
    if (folders_.empty()) {
      if (const auto uri = find_string(params, "rootUri")) {
        if (const auto path = uri_to_path(*uri)) folders_.push_back(*path);
      } else if (const auto root = find_string(params, "rootPath"); root && !root->empty() && (*root)[0] == '/') {
        folders_.push_back(fs::path(*root).lexically_normal());
      }
    }
    if (const json* options = find_object(params, "initializationOptions")) {
      if (const json* debounce = find_member(*options, "debounceMs"); debounce && debounce->is_number_integer()) {
        debounce_ = std::chrono::milliseconds(std::clamp<std::int64_t>(debounce->get<std::int64_t>(), 0, 10000));
      }
      if (auto url = find_string(*options, "docsBaseUrl")) docs_base_url_ = *url;
    }

    json capabilities{
        {"positionEncoding", encoding_name(encoding_)},
        {"textDocumentSync", {{"openClose", true}, {"change", 2}, {"save", {{"includeText", false}}}}},
        {"hoverProvider", true},
        {"definitionProvider", true},
        {"workspaceSymbolProvider", true},
        {"referencesProvider", true},
        {"documentSymbolProvider", true},
        {"completionProvider", {{"triggerCharacters", {"@", ":", "["}}, {"resolveProvider", false}}},
        {"renameProvider", prepare_support ? json{{"prepareProvider", true}} : json(true)},
        {"codeActionProvider", {{"codeActionKinds", {"quickfix"}}}},
        {"documentFormattingProvider", true},
        {"workspace", {{"workspaceFolders", {{"supported", true}, {"changeNotifications", true}}}}},
    };
    return json{{"capabilities", std::move(capabilities)}, {"serverInfo", {{"name", "kpilint"}, {"version", "0.1.0"}}}};
  }

  void initialized() {
    if (!register_watchers_) return;
    json watchers = json::array({{{"globPattern", "**/*.kpi"}}, {{"globPattern", "**/kpilint.toml"}}, {{"globPattern", "**/*.rules"}}});
    send(json{{"jsonrpc", "2.0"},
              {"id", "kpilint/register-watchers"},
              {"method", "client/registerCapability"},
              {"params", {{"registrations", json::array({{{"id", "kpilint-watch"},
                                                          {"method", "workspace/didChangeWatchedFiles"},
                                                          {"registerOptions", {{"watchers", watchers}}}}})}}}});
  }

  // ---- documents ----------------------------------------------------------

  std::optional<fs::path> document_path(const json& params) {
    const std::string uri = string_member(member(params, "textDocument"), "uri");
    auto path = uri_to_path(uri);
    if (!path) log_line("ignored a document that is not a local file: " + uri);
    return path;
  }

  void did_open(const json& params) {
    const json& item = member(params, "textDocument");
    const std::string uri = string_member(item, "uri");
    const auto path = uri_to_path(uri);
    if (!path) {
      log_line("ignored a document that is not a local file: " + uri);
      return;
    }
    const std::string language = find_string(item, "languageId").value_or("");
    if (path->extension() != ".kpi" && language != "kpi") {
      log_line("ignored a document that is not a .kpi file: " + uri);
      return;
    }
    const json* version = find_member(item, "version");
    documents_.open(uri, *path, language, version && version->is_number_integer() ? version->get<std::int64_t>() : 0,
                    string_member(item, "text"));
    const fs::path root = root_for(*path);
    root_of_[*path] = root;
    groups_[root].dirty = true;
  }

  void did_change(const json& params) {
    const auto path = document_path(params);
    if (!path) return;
    OpenDocument* document = documents_.find(*path);
    if (!document) {
      log_line("ignored a change to a document that is not open: " + path->string());
      return;
    }
    const json& changes = member(params, "contentChanges");
    if (!changes.is_array()) throw ResponseError(error_code::InvalidParams, "`contentChanges` must be an array");
    for (const json& change : changes) {
      std::string error;
      if (!DocumentStore::apply_change(*document, change, encoding_, error)) {
        log_line("ignored a change to " + document->uri + ": " + error);
        break;
      }
    }
    if (const json* version = find_path(params, {"textDocument", "version"}); version && version->is_number_integer()) {
      document->version = version->get<std::int64_t>();
    }
    mark_dirty(*path);
  }

  void did_close(const json& params) {
    const auto path = document_path(params);
    if (!path) return;
    const OpenDocument* document = documents_.find(*path);
    if (!document) return;
    send(make_notification("textDocument/publishDiagnostics", {{"uri", document->uri}, {"diagnostics", json::array()}}));
    documents_.close(*path);
    published_.erase(*path);
    const auto root = root_of_.find(*path);
    if (root != root_of_.end()) {
      const fs::path workspace = root->second;
      root_of_.erase(root);
      drop_unused_groups();
      if (auto group = groups_.find(workspace); group != groups_.end()) group->second.dirty = true;
    }
  }

  void change_folders(const json& params) {
    const json* event = find_object(params, "event");
    if (!event) return;
    const auto paths_of = [&](std::string_view key) {
      std::vector<fs::path> out;
      if (const json* list = find_array(*event, key)) {
        for (const json& folder : *list) {
          if (auto uri = folder.is_object() ? find_string(folder, "uri") : std::nullopt) {
            if (auto path = uri_to_path(*uri)) out.push_back(*path);
          }
        }
      }
      return out;
    };
    for (const auto& removed : paths_of("removed")) std::erase(folders_, removed);
    for (const auto& added : paths_of("added")) folders_.push_back(added);
    regroup();
  }

  // ---- workspaces ---------------------------------------------------------

  // The workspace of an open file: inside a workspace folder, the nearest
  // directory with kpilint.toml up to the folder, else the folder; outside,
  // SPEC §1 from the file's directory.
  fs::path root_for(const fs::path& file) const {
    const fs::path dir = file.parent_path();
    const fs::path* folder = nullptr;
    for (const auto& candidate : folders_) {
      if (is_under(file, candidate) && (!folder || candidate.string().size() > folder->string().size())) folder = &candidate;
    }
    std::error_code ec;
    if (folder) {
      for (fs::path at = dir; is_under(at, *folder) || at == *folder; at = at.parent_path()) {
        if (fs::is_regular_file(at / "kpilint.toml", ec)) return at;
        if (at == *folder || at == at.parent_path()) break;
      }
      return *folder;
    }
    return model::find_workspace_root(dir, dir);
  }

  void regroup() {
    for (auto& [path, root] : root_of_) root = root_for(path);
    drop_unused_groups();
    for (auto& [path, root] : root_of_) groups_[root].dirty = true;
    for (auto& [root, group] : groups_) group.dirty = true;
  }

  void drop_unused_groups() {
    for (auto it = groups_.begin(); it != groups_.end();) {
      const bool used = std::any_of(root_of_.begin(), root_of_.end(), [&](const auto& entry) { return entry.second == it->first; });
      it = used ? std::next(it) : groups_.erase(it);
    }
  }

  void mark_dirty(const fs::path& document) {
    if (const auto it = root_of_.find(document); it != root_of_.end()) groups_[it->second].dirty = true;
  }

  bool any_dirty() const {
    return std::any_of(groups_.begin(), groups_.end(), [](const auto& entry) { return entry.second.dirty; });
  }

  void lint_dirty() {
    for (auto& [root, group] : groups_) {
      if (group.dirty) lint(root, group, true);
    }
  }

  void lint(const fs::path& root, Group& group, bool publish_now) {
    std::map<fs::path, std::string> overlays;
    for (const auto& [path, document_root] : root_of_) {
      if (document_root != root) continue;
      if (const OpenDocument* document = documents_.find(path)) overlays.emplace(path, document->text);
    }
    const auto started = Clock::now();
    const double cpu_started = thread_cpu_ms();
    // The previous analysis is freed after publishing, off the latency path.
    std::unique_ptr<Snapshot> previous = std::move(group.snapshot);
    // Unchanged documents are taken over from it, not parsed again.
    group.snapshot = Snapshot::build(root, std::move(overlays), previous.get());
    group.dirty = false;
    last_lint_ = Clock::now();
    const auto elapsed = std::chrono::duration_cast<std::chrono::microseconds>(last_lint_ - started).count();
    if (verbose_ || elapsed > 250000) {
      log_line("checked " + root.string() + " in " + std::to_string(elapsed / 1000.0) + " ms (" +
               std::to_string(thread_cpu_ms() - cpu_started) + " ms CPU; " +
               std::to_string(group.snapshot->reused_documents()) + " of " +
               std::to_string(group.snapshot->documents().size()) + " documents unchanged; " +
               group.snapshot->timings() + ")");
    }
    for (const auto& error : group.snapshot->errors()) {
      if (!group.shown_errors.insert(error).second) continue;
      log_line(error);
      send(make_notification("window/showMessage", {{"type", 1}, {"message", "kpilint: " + error}}));
    }
    if (!publish_now) return;
    if (pending_changes_ > 0) {  // newer text is already queued: these results would be stale
      group.dirty = true;
      return;
    }
    const auto publish_started = Clock::now();
    publish(root, group);
    if (verbose_) {
      log_line("published in " +
               std::to_string(std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - publish_started).count() / 1000.0) + " ms");
    }
  }

  void publish(const fs::path& root, Group& group) {
    const Snapshot& snapshot = *group.snapshot;
    const FeatureContext ctx = context(snapshot);
    for (const auto& [path, document_root] : root_of_) {
      if (document_root != root) continue;
      const OpenDocument* open = documents_.find(path);
      if (!open) continue;
      const model::Document* document = snapshot.document(path);
      json diagnostics = document ? diagnostics_json(ctx, *document) : json::array();
      std::string key = serialize(diagnostics);
      Published& last = published_[path];
      if (last.uri == open->uri && last.version == open->version && last.diagnostics == key) continue;
      send(make_notification("textDocument/publishDiagnostics",
                             {{"uri", open->uri}, {"version", open->version}, {"diagnostics", std::move(diagnostics)}}));
      last = {open->uri, open->version, std::move(key)};
    }
  }

  // ---- requests on a document ---------------------------------------------

  struct At {
    const Snapshot* snapshot = nullptr;
    const model::Document* document = nullptr;
  };

  // The up-to-date analysis of the document a request names (linting first
  // if an edit is pending), or nullopt when it is not an open .kpi file.
  std::optional<At> locate(const json& params) {
    const auto path = document_path(params);
    if (!path || !documents_.find(*path)) return std::nullopt;
    const auto root = root_of_.find(*path);
    if (root == root_of_.end()) return std::nullopt;
    Group& group = groups_[root->second];
    if (group.dirty || !group.snapshot) lint(root->second, group, true);
    const model::Document* document = group.snapshot->document(*path);
    if (!document) return std::nullopt;
    return At{group.snapshot.get(), document};
  }

  template <class Fn>
  json with_position(const json& params, Fn&& fn) {
    const auto at = locate(params);
    if (!at) return nullptr;
    const Position position = position_from_json(member(params, "position"));
    const auto& source = *at->document->source;
    const auto offset = to_offset(source.lines(), static_cast<std::uint32_t>(source.text.size()), position, encoding_);
    if (!offset) return nullptr;  // past the end of the document
    return fn(context(*at->snapshot), *at->document, *offset);
  }

  FeatureContext context(const Snapshot& snapshot) const {
    return FeatureContext{snapshot, encoding_, client_, [this](const fs::path& path) { return uri_of(path); }, docs_base_url_};
  }

  std::string uri_of(const fs::path& path) const {
    if (const OpenDocument* document = documents_.find(path)) return document->uri;
    return path_to_uri(path);
  }

  MessageReader reader_;
  MessageWriter writer_;
  HandlerTable table_;
  CancelSet cancelled_;
  Dispatcher dispatcher_;

  std::mutex queue_mutex_;
  std::condition_variable queue_ready_;
  std::deque<Incoming> queue_;
  std::atomic<int> pending_changes_{0};

  DocumentStore documents_;
  std::vector<fs::path> folders_;
  std::map<fs::path, fs::path> root_of_;  // open document → its workspace root
  std::map<fs::path, Group> groups_;      // workspace root → its analysis
  std::map<fs::path, Published> published_;

  Encoding encoding_ = Encoding::Utf16;
  ClientFeatures client_;
  bool register_watchers_ = false;
  std::string docs_base_url_;
  Clock::duration debounce_;
  Clock::time_point last_lint_{};
  bool verbose_ = false;
  bool follow_client_locale_ = true;
  std::optional<int> exit_code_;
};

}  // namespace

int run_server(int in_fd, int out_fd, const ServerOptions& options) {
  Server server(in_fd, out_fd, options);
  return server.run();
}

}  // namespace kpilint::lsp
