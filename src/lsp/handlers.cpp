#include "lsp/handlers.hpp"

namespace kpilint::lsp {

const HandlerTable::Request* HandlerTable::request(std::string_view method) const {
  const auto it = requests_.find(method);
  return it == requests_.end() ? nullptr : &it->second;
}

const HandlerTable::Notification* HandlerTable::notification(std::string_view method) const {
  const auto it = notifications_.find(method);
  return it == notifications_.end() ? nullptr : &it->second;
}

std::vector<std::string> HandlerTable::request_methods() const {
  std::vector<std::string> out;
  for (const auto& [method, handler] : requests_) out.push_back(method);
  return out;
}

void CancelSet::add(const json& id) {
  std::lock_guard lock(mutex_);
  if (ids_.size() > 10000) ids_.clear();  // ids of requests already answered pile up otherwise
  ids_.insert(id.dump());
}

bool CancelSet::take(const json& id) {
  std::lock_guard lock(mutex_);
  return ids_.erase(id.dump()) > 0;
}

void Dispatcher::dispatch(const json& message) {
  if (!message.is_object()) {
    log("ignored a message that is not a JSON object");
    send_(make_error(nullptr, error_code::InvalidRequest, "a JSON-RPC message must be an object (batches are not supported)"));
    return;
  }
  const json* method_value = find_member(message, "method");
  const auto id_it = message.find("id");
  const bool has_id = id_it != message.end();

  if (!method_value) {
    if (has_id && (message.contains("result") || message.contains("error"))) return;  // a reply to our request
    log("ignored a message with neither method nor result");
    if (has_id) send_(make_error(*id_it, error_code::InvalidRequest, "a request needs a method"));
    return;
  }
  if (!method_value->is_string()) {
    log("ignored a message whose method is not a string");
    if (has_id) send_(make_error(*id_it, error_code::InvalidRequest, "`method` must be a string"));
    return;
  }
  const std::string& method = method_value->get_ref<const std::string&>();
  static const json kNoParams = json::object();
  const json* params_ptr = find_member(message, "params");
  const json& params = params_ptr ? *params_ptr : kNoParams;

  if (!has_id) {  // a notification: never answered
    if (method == "exit") {
      if (const auto* handler = table_.notification(method)) (*handler)(params);
      return;
    }
    if (phase_ == Phase::Uninitialized) {
      log("ignored `" + method + "` before initialize");
      return;
    }
    const auto* handler = table_.notification(method);
    if (!handler) {
      if (method.rfind("$/", 0) != 0) log("ignored unknown notification `" + method + "`");
      return;
    }
    try {
      (*handler)(params);
    } catch (const std::exception& e) {
      log("notification `" + method + "` failed: " + e.what());
    }
    return;
  }

  const json& id = *id_it;
  if (!id.is_number_integer() && !id.is_string()) {
    log("a request id must be an integer or a string");
    send_(make_error(nullptr, error_code::InvalidRequest, "a request id must be an integer or a string"));
    return;
  }
  if (method == "initialize" && phase_ != Phase::Uninitialized) {
    send_(make_error(id, error_code::InvalidRequest, "the server is already initialized"));
    return;
  }
  if (phase_ == Phase::Uninitialized && method != "initialize") {
    send_(make_error(id, error_code::ServerNotInitialized, "the server is not initialized yet"));
    return;
  }
  if (phase_ == Phase::ShutDown) {
    send_(make_error(id, error_code::InvalidRequest, "the server is shutting down"));
    return;
  }
  if (cancelled_.take(id)) {
    send_(make_error(id, error_code::RequestCancelled, "cancelled"));
    return;
  }
  const auto* handler = table_.request(method);
  if (!handler) {
    send_(make_error(id, error_code::MethodNotFound, "unknown method `" + method + "`"));
    return;
  }
  try {
    json result = (*handler)(params);
    send_(make_response(id, std::move(result)));
    if (method == "initialize") phase_ = Phase::Running;
    if (method == "shutdown") phase_ = Phase::ShutDown;
  } catch (const ResponseError& e) {
    send_(make_error(id, e.code, e.what()));
  } catch (const json::exception& e) {
    send_(make_error(id, error_code::InvalidParams, std::string("invalid params: ") + e.what()));
  } catch (const std::exception& e) {
    log("request `" + method + "` failed: " + e.what());
    send_(make_error(id, error_code::InternalError, std::string("internal error: ") + e.what()));
  }
  cancelled_.take(id);  // a cancel that arrived while it ran is moot now
}

}  // namespace kpilint::lsp
