//===- TileConfig.cpp - One point of a tuning search space ----------------===//

#include "Fuse/CostModel/TileConfig.h"

#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringExtras.h"

using namespace mlir;
using namespace mlir::fuse;

int64_t TileConfig::get(llvm::StringRef name, int64_t fallback) const {
  auto it = params.find(name.str());
  return it == params.end() ? fallback : it->second;
}

bool TileConfig::has(llvm::StringRef name) const {
  return params.count(name.str()) != 0;
}

std::string TileConfig::str() const {
  std::string text = impl;
  bool first = true;
  for (const auto &[name, value] : params) {
    text += first ? ":" : ",";
    first = false;
    text += name + "=" + std::to_string(value);
  }
  return text;
}

static bool isIdentifier(llvm::StringRef text) {
  return !text.empty() && llvm::all_of(text, [](char c) {
    return llvm::isAlnum(c) || c == '_';
  });
}

FailureOr<TileConfig> TileConfig::parse(llvm::StringRef text,
                                        std::string &error) {
  TileConfig config;
  auto [impl, rest] = text.trim().split(':');
  if (!isIdentifier(impl)) {
    error = "expected an implementation name in tile config '" + text.str() +
            "'";
    return failure();
  }
  config.impl = impl.str();
  if (rest.empty())
    return config;
  llvm::SmallVector<llvm::StringRef> items;
  rest.split(items, ',');
  for (llvm::StringRef item : items) {
    auto [name, value] = item.trim().split('=');
    int64_t number;
    if (!isIdentifier(name) || value.trim().getAsInteger(10, number)) {
      error = "expected NAME=INTEGER, got '" + item.str() +
              "' in tile config '" + text.str() + "'";
      return failure();
    }
    if (!config.params.emplace(name.str(), number).second) {
      error = "parameter '" + name.str() + "' given twice in tile config '" +
              text.str() + "'";
      return failure();
    }
  }
  return config;
}
