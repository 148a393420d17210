// How the `nodes` commands show a node to a person, as the reference's CLI shows it (its tables' columns,
// labels, and the summaries of versions, host stats, PATH and permissions). Pure: node.list/node.describe
// entries in, text out.
#pragma once

#include "Args.h"

#include "json/Json.h"

#include <string>
#include <vector>

namespace openclaw::cli {

/// The "Pending" table of node surface requests (Request, Node, IP, Requested).
std::string nodePendingTable(const std::vector<json::ObjectPtr>& pending, long long nowMs);

/// The "Paired" table of `nodes list` (Node, ID, IP, Last Connect).
std::string nodePairedTable(const std::vector<json::ObjectPtr>& nodes, long long nowMs);

/// The table of `nodes status` (Node, ID, IP, Detail, Status, Caps).
std::string nodeStatusTable(const std::vector<json::ObjectPtr>& nodes, long long nowMs);

/// The "Node" table of `nodes describe` (Field, Value).
std::string nodeDescribeTable(const json::ObjectPtr& node, const std::string& nodeId, const Args& args,
                              long long nowMs);

/// A node's label: its display name, else its id.
std::string nodeLabel(const json::ObjectPtr& node);

/// The approval state when it is one of the reference's four ("" otherwise).
std::string approvalStateOf(const json::ObjectPtr& node);

/// The strings of an array, sorted.
std::vector<std::string> sortedStrings(const json::ArrayPtr& a);

} // namespace openclaw::cli
