// Ctrl-C handling: the process exits 130, as shells expect of an interrupted command.
#pragma once

namespace kctl::interrupt {

// Installs SIGINT/SIGTERM handlers that say "interrupted" on stderr and exit 130 (SIGINT) or
// 143 (SIGTERM). Files being written are never torn: they are written to a temporary name and
// renamed only when complete.
void install_handlers();

} // namespace kctl::interrupt
