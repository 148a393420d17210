// The reference OpenClaw's config schema with the gateway's own settings grafted in, compiled at build
// time (config/ReferenceSchemaGen.cpp) into constant tables: reading it costs a process nothing.
#pragma once

#include "json/Schema.h"

namespace openclaw::config {

/// The schema's tables; node 0 is its root, whose properties are the sections the gateway checks.
extern const json::SchemaTables kReferenceSchema;

/// Every top-level key the reference accepts (it refuses any other): a run of kReferenceSchema's strings.
extern const json::SchemaSpan kTopLevelKeys;

} // namespace openclaw::config
