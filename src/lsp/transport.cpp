#include "lsp/transport.hpp"

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <string>

namespace kpilint::lsp {

namespace {

constexpr std::string_view kLengthHeader = "content-length";

// Case-insensitive search (header names are case-insensitive).
std::size_t find_nocase(std::string_view haystack, std::string_view needle, std::size_t from = 0) {
  if (needle.size() > haystack.size()) return std::string_view::npos;
  for (std::size_t i = from; i + needle.size() <= haystack.size(); ++i) {
    bool match = true;
    for (std::size_t k = 0; k < needle.size(); ++k) {
      if (std::tolower(static_cast<unsigned char>(haystack[i + k])) != needle[k]) {
        match = false;
        break;
      }
    }
    if (match) return i;
  }
  return std::string_view::npos;
}

// Whether `text` is the start of `lower` (a lower-case word), ignoring case.
bool is_prefix_nocase(std::string_view text, std::string_view lower) {
  if (text.size() > lower.size()) return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(text[i])) != lower[i]) return false;
  }
  return true;
}

std::size_t rfind_nocase(std::string_view haystack, std::string_view needle) {
  std::size_t found = std::string_view::npos;
  for (std::size_t at = find_nocase(haystack, needle); at != std::string_view::npos;
       at = find_nocase(haystack, needle, at + 1)) {
    found = at;
  }
  return found;
}

// "Content-Length: 123" starting at `at` (the header name): the number, when
// the rest of the line is exactly that.
std::optional<std::size_t> parse_length(std::string_view header, std::size_t at) {
  std::size_t i = at + kLengthHeader.size();
  while (i < header.size() && header[i] == ' ') ++i;
  if (i >= header.size() || header[i] != ':') return std::nullopt;
  ++i;
  while (i < header.size() && (header[i] == ' ' || header[i] == '\t')) ++i;
  std::size_t value = 0, digits = 0;
  while (i < header.size() && std::isdigit(static_cast<unsigned char>(header[i]))) {
    if (value > (std::size_t{1} << 50)) return std::nullopt;  // absurd: treat as malformed
    value = value * 10 + static_cast<std::size_t>(header[i] - '0');
    ++i;
    ++digits;
  }
  while (i < header.size() && (header[i] == ' ' || header[i] == '\t' || header[i] == '\r')) ++i;
  if (digits == 0 || (i < header.size() && header[i] != '\n')) return std::nullopt;
  return value;
}

}  // namespace

std::optional<std::string> FrameDecoder::next() {
  for (;;) {
    if (skip_ > 0) {
      const std::size_t dropped = std::min(skip_, buffer_.size());
      buffer_.erase(0, dropped);
      skip_ -= dropped;
      if (skip_ > 0) return std::nullopt;
    }
    if (pending_) {
      if (buffer_.size() < *pending_) return std::nullopt;
      std::string body = buffer_.substr(0, *pending_);
      buffer_.erase(0, *pending_);
      pending_.reset();
      return body;
    }
    // A header block ends with an empty line; be lenient about bare '\n'.
    const std::size_t crlf = buffer_.find("\r\n\r\n");
    const std::size_t lf = buffer_.find("\n\n");
    std::size_t end = std::string::npos, terminator = 0;
    if (crlf != std::string::npos && (lf == std::string::npos || crlf <= lf)) {
      end = crlf;
      terminator = 4;
    } else if (lf != std::string::npos) {
      end = lf;
      terminator = 2;
    }
    if (end == std::string::npos) {
      // No header end yet. Bound what garbage can make us hold.
      if (buffer_.size() > 65536) {
        const std::size_t at = rfind_nocase(buffer_, kLengthHeader);
        const std::size_t keep_from = at != std::string::npos ? at : buffer_.size() - 32;
        if (keep_from > 0) {
          log("dropped " + std::to_string(keep_from) + " bytes that are not a message header");
          buffer_.erase(0, keep_from);
        }
      }
      return std::nullopt;
    }
    const std::string_view header(buffer_.data(), end);
    std::optional<std::size_t> length;
    const std::size_t at = rfind_nocase(header, kLengthHeader);
    if (at != std::string_view::npos) {
      length = parse_length(header, at);
      if (length && at > 0 && header[at - 1] != '\n') {
        log("ignored " + std::to_string(at) + " bytes before a Content-Length header");
      }
    }
    buffer_.erase(0, end + terminator);
    if (!length) {
      log("dropped a message without a valid Content-Length header");
      continue;
    }
    if (*length > kMaxBody) {
      log("dropped a message of " + std::to_string(*length) + " bytes (the limit is " + std::to_string(kMaxBody) + ")");
      skip_ = *length;
      continue;
    }
    pending_ = *length;
  }
}

std::string frame(std::string_view body) {
  std::string out = "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n";
  out.append(body);
  return out;
}

std::optional<std::string_view> embedded_frame(std::string_view body) {
  if (const std::size_t at = find_nocase(body, kLengthHeader, 1); at != std::string_view::npos) {
    if (parse_length(body, at) || body.find('\n', at) == std::string_view::npos) return body.substr(at);
  }
  // The body may end inside the next header ("…}Content-Le"): give that part back too.
  for (std::size_t at = body.size() > kLengthHeader.size() ? body.size() - kLengthHeader.size() : 1; at < body.size(); ++at) {
    const std::string_view tail = body.substr(at);
    if (tail.size() >= 3 && is_prefix_nocase(tail, kLengthHeader)) return tail;
  }
  return std::nullopt;
}

MessageReader::MessageReader(int fd, LogFn log) : fd_(fd), decoder_(std::move(log)) {
  if (::pipe(wake_) != 0) wake_[0] = wake_[1] = -1;
}

MessageReader::~MessageReader() {
  for (int fd : wake_) {
    if (fd >= 0) ::close(fd);
  }
}

void MessageReader::stop() {
  if (wake_[1] >= 0) {
    const char byte = 1;
    [[maybe_unused]] const ssize_t n = ::write(wake_[1], &byte, 1);
  }
}

MessageReader::Status MessageReader::read(std::string& body) {
  char chunk[65536];
  for (;;) {
    if (auto next = decoder_.next()) {
      body = std::move(*next);
      return Status::Message;
    }
    if (end_) return Status::End;
    pollfd fds[2] = {{fd_, POLLIN, 0}, {wake_[0], POLLIN, 0}};
    const int ready = ::poll(fds, wake_[0] >= 0 ? 2 : 1, -1);
    if (ready < 0) {
      if (errno == EINTR) continue;
      end_ = true;
      continue;
    }
    if (wake_[0] >= 0 && (fds[1].revents & POLLIN)) return Status::Stopped;
    if (fds[0].revents & (POLLIN | POLLHUP | POLLERR | POLLNVAL)) {
      const ssize_t n = ::read(fd_, chunk, sizeof chunk);
      if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
      if (n <= 0) {
        end_ = true;
        continue;
      }
      decoder_.feed(std::string_view(chunk, static_cast<std::size_t>(n)));
    }
  }
}

bool MessageWriter::write(std::string_view body) {
  const std::string out = frame(body);
  std::lock_guard lock(mutex_);
  std::size_t done = 0;
  while (done < out.size()) {
    const ssize_t n = ::write(fd_, out.data() + done, out.size() - done);
    if (n < 0) {
      if (errno == EINTR || errno == EAGAIN) continue;
      return false;
    }
    done += static_cast<std::size_t>(n);
  }
  return true;
}

}  // namespace kpilint::lsp
