// Editable lists in the preferences (UATs: Edit > Preferences > Protocols >
// phonehome, or `-o "uat:NAME:\"value\",\"comment\""`), each a table of
// values with a comment column: local networks, the allowlist, P2P domains,
// PPPP keys. They add to the matching comma-separated string preferences,
// which stay for quick use on the command line.
#pragma once

#include <string>

#include "ws.hpp"

namespace phonehome::glue {

struct ListUat;

// Validates one value; returns an error message (g_strdup'd) or nullptr.
using ListValueCheck = char *(*)(const char *value);

// Registers a UAT named `name` (the file in the profile has the same name)
// on the module; `on_change` runs after every edit.
ListUat *register_list_uat(module_t *module, const char *name, const char *title, const char *description,
                           const char *value_title, ListValueCheck check, void (*on_change)());

// The values joined with commas (for the core's list parsers).
std::string list_uat_values(const ListUat *uat);

char *check_network(const char *value);
char *check_domain(const char *value);
char *check_nonempty(const char *value);

}  // namespace phonehome::glue
