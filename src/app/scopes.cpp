#include "app/scopes.hpp"

namespace shipline::app {

namespace {
constexpr Scope kAll[] = {Scope::kRead, Scope::kWrite, Scope::kAdmin};
}  // namespace

std::string_view ScopeName(Scope scope) {
  switch (scope) {
    case Scope::kRead:
      return "read";
    case Scope::kWrite:
      return "write";
    case Scope::kAdmin:
      return "admin";
  }
  return "read";
}

std::optional<Scope> ParseScope(std::string_view name) {
  for (Scope scope : kAll) {
    if (ScopeName(scope) == name) return scope;
  }
  return std::nullopt;
}

Scopes Scopes::Of(std::initializer_list<Scope> scopes) {
  Scopes out;
  for (Scope scope : scopes) out.Add(scope);
  return out;
}

std::optional<Scopes> Scopes::Parse(std::string_view comma_separated) {
  Scopes out;
  while (!comma_separated.empty()) {
    size_t comma = comma_separated.find(',');
    auto scope = ParseScope(comma_separated.substr(0, comma));
    if (!scope) return std::nullopt;
    out.Add(*scope);
    if (comma == std::string_view::npos) break;
    comma_separated.remove_prefix(comma + 1);
  }
  if (out.empty()) return std::nullopt;
  return out;
}

bool Scopes::Allow(Scope needed) const {
  for (Scope scope : kAll) {
    if (Has(scope) && scope >= needed) return true;
  }
  return false;
}

std::vector<std::string_view> Scopes::Names() const {
  std::vector<std::string_view> out;
  for (Scope scope : kAll) {
    if (Has(scope)) out.push_back(ScopeName(scope));
  }
  return out;
}

std::string Scopes::Text() const {
  std::string out;
  for (auto name : Names()) {
    if (!out.empty()) out += ',';
    out += name;
  }
  return out;
}

}  // namespace shipline::app
