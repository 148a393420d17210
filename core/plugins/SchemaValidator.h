// A JSON Schema subset for plugin config sections: type (incl. arrays of types), properties,
// required, additionalProperties (bool or schema), enum, const, minimum, maximum, minLength,
// maxLength, pattern, items, minItems, maxItems, default (ignored). Pure.
#pragma once

#include "json/Json.h"

#include <string>
#include <vector>

namespace openclaw::plugins {

/// One violation: where (key path relative to the validated value, "" for the root) and what.
struct SchemaViolation {
    std::string path;
    std::string message;
};

/// Validates value against schema; returns every violation found (empty = valid).
std::vector<SchemaViolation> validateSchema(const json::Var& schema, const json::Var& value);

/// Checks that a schema only uses supported keywords; returns problems (empty = usable).
std::vector<std::string> checkSchema(const json::Var& schema);

} // namespace openclaw::plugins
