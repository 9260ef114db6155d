#include "commands/kubectl_help.hpp"

#include <memory>

namespace kctl::cli {

namespace {

class KubectlFormatter : public CLI::Formatter {
public:
  KubectlFormatter(std::string long_description, std::string examples)
      : m_long(std::move(long_description)), m_examples(std::move(examples)) {}

  std::string make_description(const CLI::App* /*app*/) const override {
    std::string out = m_long + "\n\n";
    if (!m_examples.empty()) {
      out += "Examples:\n" + m_examples + "\n\n";
    }
    return out;
  }

  std::string make_footer(const CLI::App* /*app*/) const override { return {}; }

private:
  std::string m_long;
  std::string m_examples;
};

} // namespace

void
set_kubectl_help(CLI::App& command, std::string long_description, std::string examples) {
  auto formatter =
      std::make_shared<KubectlFormatter>(std::move(long_description), std::move(examples));
  formatter->column_width(30);
  command.formatter(formatter);
}

} // namespace kctl::cli
