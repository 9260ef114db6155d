// Text for people made safe for a terminal (issue 20): kubectl's ESC and CR rule, every other
// control character too, tabs and newlines kept only where they are structure.
#include "util/terminal.hpp"

#include <doctest/doctest.h>

using kctl::terminal::escape;
using kctl::terminal::escape_cell;
using kctl::terminal::escape_line;

TEST_SUITE("util::terminal") {
  TEST_CASE("ESC and CR as kubectl's EscapeTerminal writes them") {
    CHECK(escape("a\x1b[2Jb") == "a^[[2Jb");
    CHECK(escape("over\rwrite") == "over\\rwrite");
    CHECK(escape("\x1b]0;TITLE\x07") == "^[]0;TITLE^G");
  }

  TEST_CASE("other C0 controls and DEL in caret notation") {
    CHECK(escape(std::string("\0", 1)) == "^@");
    CHECK(escape("\x01\x08\x0b\x0c\x1f") == "^A^H^K^L^_");
    CHECK(escape("\x7f") == "^?");
  }

  TEST_CASE("tabs and newlines: kept by escape, escaped on one line") {
    CHECK(escape("line one\n\tline two") == "line one\n\tline two");
    CHECK(escape_line("line one\n\tline two") == "line one\\n\\tline two");
  }

  TEST_CASE("C1 controls and stray bytes that would be C1 on an 8-bit terminal") {
    CHECK(escape("a\xc2\x9b"
                 "2Jb") == "a\\u009b2Jb"); // U+009B, the 8-bit CSI
    CHECK(escape("\x9b") == "\\x9b");      // not UTF-8: a raw C1 byte
    // An overlong form is not UTF-8: its lead byte stays (a Latin-1 letter), the rest is escaped.
    CHECK(escape("\xe0\x9b\x80") == "\xe0\\x9b\\x80");
    CHECK(escape("\xff") == "\xff"); // a stray Latin-1 letter stays
  }

  TEST_CASE("valid UTF-8 and plain text are kept as they are") {
    CHECK(escape("plain text, 123") == "plain text, 123");
    CHECK(escape("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80") ==
          "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80");
    CHECK(escape("\xc2\xa0") == "\xc2\xa0"); // U+00A0 is not a control
  }

  TEST_CASE("escaping twice reads the same") {
    std::string once = escape_line("a\x1b\r\n\t\x07\x7f\xc2\x85\x9b");
    CHECK(escape_line(once) == once);
    CHECK(escape(once) == once);
  }

  TEST_CASE("a table cell is cut at its first line break, as kubectl's table printer") {
    CHECK(escape_cell("first\nsecond") == "first...");
    CHECK(escape_cell("first\rsecond") == "first...");
    CHECK(escape_cell("first\fsecond") == "first...");
    CHECK(escape_cell("a\tb\x1b") == "a\\tb^[");
    CHECK(escape_cell("") == "");
  }
}
