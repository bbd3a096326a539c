// The reports, fed by the "phonehome" tap: tshark's -z forms
// (report_cli.cpp) and the Statistics menu tables (devices_table.cpp,
// remotes_table.cpp).
#pragma once

namespace phonehome::glue {

// Call from protocol registration.
void register_reports();

void register_report_cli();
void register_devices_table();
void register_remotes_table();

}  // namespace phonehome::glue
