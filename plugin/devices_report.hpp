// `tshark -z phonehome,devices[,filter]` and Statistics > phonehome devices.
#pragma once

namespace phonehome::glue {

// Call from protocol registration.
void register_devices_report();

}  // namespace phonehome::glue
