// The reports' context as Wireshark knows it: the time style of tshark's -t
// option, the versions, and the capture file and display filter tshark was
// given (a tap is not told them: read from the process's command line).
#pragma once

#include "heuristics/reports/report_context.hpp"

namespace phonehome::glue {

// Everything but the report's own filter and the capture times, which the
// report fills from what it was fed.
ReportContext report_context();

}  // namespace phonehome::glue
