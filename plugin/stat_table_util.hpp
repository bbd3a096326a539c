// Cell writing and row bookkeeping shared by the Statistics menu tables
// (stat_tap_table_ui): string cells own a g_strdup'd copy, freed on reset.
#pragma once

#include <cstdint>
#include <string>

#include "ws.hpp"

namespace phonehome::glue {

void cell_string(stat_tap_table_item_type *cell, const std::string &s);
void cell_uint(stat_tap_table_item_type *cell, uint64_t v);  // saturates at G_MAXUINT
void cell_float(stat_tap_table_item_type *cell, double v);
// Appends an all-empty row; returns its index.
guint append_row(stat_tap_table *table, guint columns);
// Frees a string cell.
void free_cell(stat_tap_table_item_type *cell);
// The tables' free-item callback.
void free_item(stat_tap_table *table, guint row, guint column, stat_tap_table_item_type *cell);
// Empties a table, freeing every string cell.
void clear_rows(stat_tap_table *table, guint columns);

// A Statistics-menu table fed by the "phonehome" tap, with an optional
// display filter. The result must live as long as the program (Wireshark
// keeps the pointer): assign it to a static.
stat_tap_table_ui table_ui(const char *title, const char *cli_name, void (*init)(stat_tap_table_ui *),
                           tap_packet_cb packet, void (*reset)(stat_tap_table *), size_t columns,
                           stat_tap_table_item *fields);

}  // namespace phonehome::glue
