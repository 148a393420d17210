// A JSON Schema (draft-07) subset, for plugin config sections and the config sections the gateway
// owns: type (incl. arrays of types), properties, required, additionalProperties (bool or schema),
// propertyNames, anyOf, oneOf (checked as anyOf: some branch must hold), enum, const, minimum,
// maximum, exclusiveMinimum, minLength, maxLength, pattern, items, minItems, maxItems; default,
// format, title, description and examples are annotations. Pure.
#pragma once

#include "json/Json.h"
#include "json/Schema.h"

#include <string>
#include <vector>

namespace openclaw::json {

/// One violation: where (key path relative to the validated value, "" for the root) and what.
struct SchemaViolation {
    std::string path;
    std::string message;
    /// For an unknown property (additionalProperties: false): the properties its object allows, so
    /// that a caller can suggest the nearest one.
    bool unknownKey = false;
    std::vector<std::string> known;
};

/// Validates value against node `node` of a compiled schema; returns every violation found (empty = valid).
std::vector<SchemaViolation> validateSchema(const SchemaTables& schema, std::uint32_t node,
                                            const json::Var& value);

/// Validates value against schema (compiled for this call); returns every violation found (empty = valid).
std::vector<SchemaViolation> validateSchema(const json::Var& schema, const json::Var& value);

/// Checks that a schema only uses supported keywords; returns problems (empty = usable).
std::vector<std::string> checkSchema(const json::Var& schema);

} // namespace openclaw::json
