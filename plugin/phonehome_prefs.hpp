// The phonehome protocol's preferences and how they configure the analysis.
#pragma once

namespace phonehome::glue {

void register_phonehome_prefs(int proto);
// Rebuilds the analysis configuration from the preferences and resets the
// analysis (Wireshark dissects every frame again after a change).
void apply_prefs();

}  // namespace phonehome::glue
