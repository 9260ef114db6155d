// Go's text/tabwriter as kubectl's describe configures it (minwidth 0, padding 2, spaces, no
// flags), so describe's output lines up exactly as kubectl's: text is cut into cells at tabs, a
// cell ended by a tab belongs to a column, and each column block (consecutive lines that have a
// cell in that column) is as wide as its widest cell plus two. The text after a line's last tab is
// not part of any column. Pure.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace kctl::describe {

// The most tab-ended cells a line is laid out with; further tabs are kept as spaces. Real
// describe output has at most six columns (an Events table); the bound keeps a hostile value full
// of tabs from making the layout deep or slow.
inline constexpr std::size_t k_max_columns = 32;

// Lays out `text` as Go's tabwriter would with kubectl's describe settings.
std::string tab_layout(std::string_view text);

} // namespace kctl::describe
