// Text for people, made safe for a terminal (issue 20). Names, messages and table cells come from
// API servers, kubeconfigs and downloaded files; printed raw, an ESC in them would let whoever
// wrote them move the cursor, clear the screen, set the window title or rewrite what was printed
// before.
//
// The rule starts from kubectl's (cli-runtime printers.EscapeTerminal: ESC as "^[", CR as "\r") and
// covers every other control character too:
//   ESC                      "^["      (kubectl)
//   CR                       "\r"      (kubectl)
//   other C0 and DEL         caret notation: BEL "^G", BS "^H", NUL "^@", DEL "^?"
//   C1 (U+0080-U+009F)       "\u009b"  (an 8-bit CSI is a terminal escape too)
//   a stray byte 0x80-0x9F   "\x9b"    (not part of valid UTF-8: a C1 control on 8-bit terminals)
//   tab, newline             kept by escape() (multi-line messages: the lines are structure);
//                            "\t", "\n" in escape_line() (one line: a status line, a name)
// Everything else, valid UTF-8 included, is kept. Escaping is idempotent: what it writes contains
// no control character, so text escaped twice reads the same.
//
// Structured output (-o json, -o yaml) is escaped by its format and -o jsonpath prints the values
// as they are, as kubectl does (it is for scripts, which want the bytes); neither goes through
// here.
#pragma once

#include <string>
#include <string_view>

namespace kctl::terminal {

// Keeps tabs and newlines; escapes every other control character.
std::string escape(std::string_view text);

// One line: tabs and newlines escaped too.
std::string escape_line(std::string_view text);

// A table cell as kubectl's table printer writes one: cut at the first newline, CR or form feed
// with "..." after it, then escaped as one line.
std::string escape_cell(std::string_view text);

} // namespace kctl::terminal
