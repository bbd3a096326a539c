// Registration of the Kalay and PPPP dissectors (kalay_dissector.cpp,
// pppp_dissector.cpp), called from the plugin's registration.
#pragma once

namespace phonehome::glue {

void kalay_register();
void kalay_handoff();
void pppp_register();
void pppp_handoff();

}  // namespace phonehome::glue
