#include "describe/tabwriter.hpp"

#include <algorithm>
#include <vector>

namespace kctl::describe {

namespace {

// Go's tabwriter adds this much to a column's widest cell.
constexpr std::size_t k_padding = 2;

struct Cell {
  std::string_view text;
  std::size_t width = 0; // in code points, as Go counts them
};

using Line = std::vector<Cell>;

std::size_t
code_points(std::string_view text) {
  return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

// Cuts a line at its tabs; past k_max_columns the rest is one last cell.
Line
cells_of(std::string_view line) {
  Line cells;
  while (cells.size() < k_max_columns) {
    auto tab = line.find('\t');
    if (tab == std::string_view::npos) {
      break;
    }
    cells.push_back({line.substr(0, tab), code_points(line.substr(0, tab))});
    line.remove_prefix(tab + 1);
  }
  cells.push_back({line, code_points(line)});
  return cells;
}

class Layout {
public:
  explicit Layout(std::vector<Line> lines) : m_lines(std::move(lines)) {}

  std::string run() {
    format(0, m_lines.size());
    return std::move(m_out);
  }

private:
  // Go's tabwriter.format: finds the blocks of lines [line0, line1) with a cell in the next
  // column, sizes each, and lays out the columns right of it the same way.
  void format(std::size_t line0, std::size_t line1) {
    std::size_t column = m_widths.size();
    for (std::size_t at = line0; at < line1; ++at) {
      if (column + 1 >= m_lines[at].size()) {
        continue;
      }
      write_lines(line0, at);
      line0 = at;
      std::size_t width = 0;
      for (; at < line1 && column + 1 < m_lines[at].size(); ++at) {
        width = std::max(width, m_lines[at][column].width + k_padding);
      }
      m_widths.push_back(width);
      format(line0, at);
      m_widths.pop_back();
      // The line that ended the block has no cell in this column: the loop may step past it.
      line0 = at;
    }
    write_lines(line0, line1);
  }

  void write_lines(std::size_t from, std::size_t to) {
    for (std::size_t i = from; i < to; ++i) {
      const Line& line = m_lines[i];
      for (std::size_t j = 0; j < line.size(); ++j) {
        m_out += line[j].text;
        if (j < m_widths.size() && m_widths[j] > line[j].width) {
          m_out.append(m_widths[j] - line[j].width, ' ');
        }
      }
      if (i + 1 < m_lines.size()) {
        m_out += '\n';
      }
    }
  }

  std::vector<Line> m_lines;
  std::vector<std::size_t> m_widths;
  std::string m_out;
};

} // namespace

std::string
tab_layout(std::string_view text) {
  std::vector<Line> lines;
  std::size_t start = 0;
  while (true) {
    auto end = text.find('\n', start);
    lines.push_back(
        cells_of(text.substr(start, end == std::string_view::npos ? end : end - start)));
    if (end == std::string_view::npos) {
      break;
    }
    start = end + 1;
  }
  return Layout(std::move(lines)).run();
}

} // namespace kctl::describe
