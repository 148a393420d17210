// Reads the JSON lines a comparison run wrote and prints medians side by side with ratios and targets.
#pragma once

#include <string>

namespace openclaw::bench {

/// Prints the summary table of a results file (JSON lines with "label" ours|reference). Returns an exit code.
int summarize(const std::string& path, const std::string& against = "reference");

} // namespace openclaw::bench
