// The identity the reports give each row: what the analyzer learnt from the
// capture, plus the MAC vendors and MaxMind answers only Wireshark has.
#pragma once

#include "heuristics/reports/row_identity.hpp"

namespace phonehome::glue {

const RowIdentity &report_identity();

}  // namespace phonehome::glue
