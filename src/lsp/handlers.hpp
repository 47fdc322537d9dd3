#pragma once
// The handler table: one entry per LSP method, and the JSON-RPC dispatch
// around it — lifecycle (nothing but `initialize` before it; nothing but
// `exit` after `shutdown`), cancellation, and the rule that every request gets
// exactly one answer: a result, or an error for an unknown method, bad
// params, or a handler that threw.
#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <string_view>

#include "lsp/protocol.hpp"
#include "lsp/transport.hpp"

namespace kpilint::lsp {

class HandlerTable {
 public:
  using Request = std::function<json(const json& params)>;
  using Notification = std::function<void(const json& params)>;

  void on_request(std::string method, Request handler) { requests_[std::move(method)] = std::move(handler); }
  void on_notification(std::string method, Notification handler) {
    notifications_[std::move(method)] = std::move(handler);
  }
  const Request* request(std::string_view method) const;
  const Notification* notification(std::string_view method) const;
  std::vector<std::string> request_methods() const;

 private:
  std::map<std::string, Request, std::less<>> requests_;
  std::map<std::string, Notification, std::less<>> notifications_;
};

// Request ids the client cancelled ($/cancelRequest), shared between the
// thread that reads messages and the one that answers them.
class CancelSet {
 public:
  void add(const json& id);
  bool take(const json& id);  // true (once) when `id` was cancelled

 private:
  std::mutex mutex_;
  std::set<std::string> ids_;
};

class Dispatcher {
 public:
  enum class Phase { Uninitialized, Running, ShutDown };
  using Send = std::function<void(const json& message)>;

  Dispatcher(HandlerTable& table, Send send, LogFn log, CancelSet& cancelled)
      : table_(table), send_(std::move(send)), log_(std::move(log)), cancelled_(cancelled) {}

  // Handles one parsed message (request, notification or response).
  void dispatch(const json& message);
  Phase phase() const { return phase_; }

 private:
  void log(const std::string& message) const {
    if (log_) log_(message);
  }
  HandlerTable& table_;
  Send send_;
  LogFn log_;
  CancelSet& cancelled_;
  Phase phase_ = Phase::Uninitialized;
};

}  // namespace kpilint::lsp
