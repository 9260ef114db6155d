// Usage problems collected before anything runs, so that the user fixes them all in one go: every
// command checks all of its flags and arguments, and the CLI reports every problem in one
// "error:" message with exit code 2.
#pragma once

#include "util/result.hpp"

#include <fmt/format.h>

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kctl {

class Problems {
public:
  template <class... Args> void add(fmt::format_string<Args...> format, Args&&... args) {
    m_lines.push_back(fmt::format(format, std::forward<Args>(args)...));
  }
  void add_line(std::string line) { m_lines.push_back(std::move(line)); }
  // Adds each line of `other`, in order.
  void append(const Problems& other) {
    m_lines.insert(m_lines.end(), other.m_lines.begin(), other.m_lines.end());
  }
  // Adds the message of a failed check (a parser's usage error, say); nothing when it passed.
  void add_if_failed(const Status& status) {
    if (!status) {
      m_lines.push_back(status.error().message);
    }
  }
  // The value of a check that may fail: its error becomes a problem, and the result is empty.
  template <class T> std::optional<T> take(Result<T> result) {
    if (!result) {
      m_lines.push_back(std::move(result).error().message);
      return std::nullopt;
    }
    return std::optional<T>(std::move(*result));
  }

  bool empty() const { return m_lines.empty(); }
  std::size_t size() const { return m_lines.size(); }
  const std::vector<std::string>& lines() const { return m_lines; }

  // One usage error (exit code 2) with every problem: a single problem on its own line, several
  // listed under `title` ("invalid join options:\n  - ...\n  - ...").
  Error error(std::string_view title) const {
    std::string text;
    if (m_lines.size() == 1) {
      text = m_lines.front();
    } else {
      text = std::string(title) + ":";
      for (const auto& line : m_lines) {
        text += "\n  - " + line;
      }
    }
    return Error{text, std::string(k_reason_usage), 0};
  }
  // Success when there is no problem, else error(title).
  Status status(std::string_view title) const {
    if (m_lines.empty()) {
      return {};
    }
    return std::unexpected(error(title));
  }

private:
  std::vector<std::string> m_lines;
};

} // namespace kctl
