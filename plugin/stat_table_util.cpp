#include "stat_table_util.hpp"

#include <cstring>
#include <vector>

namespace phonehome::glue {

void cell_string(stat_tap_table_item_type *cell, const std::string &s) {
    free_cell(cell);
    cell->type = TABLE_ITEM_STRING;
    cell->value.string_value = g_strdup(s.c_str());
}

void cell_uint(stat_tap_table_item_type *cell, uint64_t v) {
    cell->type = TABLE_ITEM_UINT;
    cell->value.uint_value = guint(v > G_MAXUINT ? G_MAXUINT : v);
}

void cell_float(stat_tap_table_item_type *cell, double v) {
    cell->type = TABLE_ITEM_FLOAT;
    cell->value.float_value = v;
}

guint append_row(stat_tap_table *table, guint columns) {
    const guint index = table->num_elements;
    std::vector<stat_tap_table_item_type> blank(columns);
    std::memset(blank.data(), 0, sizeof(stat_tap_table_item_type) * columns);
    stat_tap_init_table_row(table, index, columns, blank.data());
    return index;
}

void free_cell(stat_tap_table_item_type *cell) {
    if (cell->type == TABLE_ITEM_STRING) {
        g_free(const_cast<char *>(cell->value.string_value));
        cell->value.string_value = nullptr;
    }
}

void free_item(stat_tap_table *, guint, guint, stat_tap_table_item_type *cell) { free_cell(cell); }

void clear_rows(stat_tap_table *table, guint columns) {
    for (guint i = 0; i < table->num_elements; ++i) {
        for (guint c = 0; c < columns; ++c) free_cell(&table->elements[i][c]);
        g_free(table->elements[i]);
    }
    g_free(table->elements);
    table->elements = nullptr;
    table->num_elements = 0;
}

stat_tap_table_ui table_ui(const char *title, const char *cli_name, void (*init)(stat_tap_table_ui *),
                           tap_packet_cb packet, void (*reset)(stat_tap_table *), size_t columns,
                           stat_tap_table_item *fields) {
    static tap_param filter_param[] = {{PARAM_FILTER, "filter", "Filter", nullptr, TRUE}};
    return stat_tap_table_ui{REGISTER_PACKET_STAT_GROUP_UNSORTED,
                             title,
                             "phonehome",
                             cli_name,
                             init,
                             packet,
                             reset,
                             free_item,
                             nullptr,
                             columns,
                             fields,
                             G_N_ELEMENTS(filter_param),
                             filter_param,
                             nullptr,
                             0};
}

}  // namespace phonehome::glue
