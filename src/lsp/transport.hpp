#pragma once
// The bottom layer of the language server: JSON-RPC messages framed with
// `Content-Length` headers (LSP base protocol) over file descriptors. Knows
// nothing of JSON: a message is a byte string. Framing problems (no or a bad
// Content-Length, garbage between messages, a body that is far too large) are
// reported to a log callback and skipped; the decoder resynchronises on the
// next header, so one bad message never takes the stream down.
#include <cstddef>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

namespace kpilint::lsp {

using LogFn = std::function<void(std::string_view)>;

// Splits a byte stream into message bodies. Pure (no I/O), so tests can feed
// it any bytes in any chunking.
class FrameDecoder {
 public:
  static constexpr std::size_t kMaxBody = 256u << 20;  // 256 MiB: anything larger is refused
  explicit FrameDecoder(LogFn log = {}) : log_(std::move(log)) {}

  void feed(std::string_view bytes) { buffer_.append(bytes); }
  // The next complete body, or nullopt when more bytes are needed.
  std::optional<std::string> next();
  // Put bytes back in front of the stream (used to resynchronise when a body
  // that failed to parse contains the start of the next message).
  void unread(std::string_view bytes) { buffer_.insert(0, bytes); }
  std::size_t buffered() const { return buffer_.size(); }

 private:
  void log(std::string_view message) const {
    if (log_) log_(message);
  }
  std::string buffer_;
  std::size_t skip_ = 0;                // bytes of an oversized body still to drop
  std::optional<std::size_t> pending_;  // the length of the body being waited for
  LogFn log_;
};

// The `Content-Length: N\r\n\r\n` + body frame.
std::string frame(std::string_view body);

// If `body` (which did not parse) contains a `Content-Length:` header, the
// bytes from that header on: a too-long Content-Length swallowed the next message.
std::optional<std::string_view> embedded_frame(std::string_view body);

// Reads frames from a file descriptor. read() blocks until a body is
// complete, the input ends, or stop() is called from another thread.
class MessageReader {
 public:
  MessageReader(int fd, LogFn log);
  ~MessageReader();
  MessageReader(const MessageReader&) = delete;
  MessageReader& operator=(const MessageReader&) = delete;

  enum class Status { Message, End, Stopped };
  Status read(std::string& body);
  void stop();  // thread-safe: wakes a blocked read()
  FrameDecoder& decoder() { return decoder_; }

 private:
  int fd_;
  int wake_[2] = {-1, -1};
  bool end_ = false;
  FrameDecoder decoder_;
};

// Writes frames to a file descriptor; one frame per call, whole, thread-safe.
class MessageWriter {
 public:
  explicit MessageWriter(int fd) : fd_(fd) {}
  bool write(std::string_view body);

 private:
  int fd_;
  std::mutex mutex_;
};

}  // namespace kpilint::lsp
