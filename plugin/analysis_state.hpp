// Read access to the capture's analysis state for the reports.
#pragma once

#include <string>

namespace phonehome::glue {

// A line saying which bounded tables forgot state, or empty.
std::string eviction_note();

}  // namespace phonehome::glue
