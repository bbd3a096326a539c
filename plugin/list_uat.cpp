#include "list_uat.hpp"

#include <cstring>
#include <string>
#include <utility>

#include "heuristics/common/ip_address.hpp"
#include "ws_compat.hpp"

namespace phonehome::glue {

namespace {

struct Entry {
    char *value;
    char *comment;
};

}  // namespace

struct ListUat {
    uat_t *uat = nullptr;
    Entry *entries = nullptr;
    guint count = 0;
    ListValueCheck check = nullptr;
    void (*on_change)() = nullptr;
    char *pref_name = nullptr;
};

namespace {

// Wireshark's UAT callbacks carry no user pointer but the record, so each
// UAT gets its own small set of trampolines through a fixed slot table.
constexpr int kSlots = 8;
ListUat g_lists[kSlots];
int g_used = 0;

void *copy_entry(void *dest, const void *source, size_t) {
    auto *d = static_cast<Entry *>(dest);
    const auto *s = static_cast<const Entry *>(source);
    d->value = g_strdup(s->value);
    d->comment = g_strdup(s->comment);
    return d;
}

void free_entry(void *record) {
    auto *e = static_cast<Entry *>(record);
    g_free(e->value);
    g_free(e->comment);
}

template <int N>
ws_compat::uat_update_result update_entry(void *record, char **error) {
    const auto *e = static_cast<const Entry *>(record);
    if (!e->value || !*e->value) {
        *error = g_strdup("The value cannot be empty");
        return FALSE;
    }
    if (g_lists[N].check) {
        if (char *err = g_lists[N].check(e->value)) {
            *error = err;
            return FALSE;
        }
    }
    return TRUE;
}

template <int N>
void post_update() {
    if (g_lists[N].on_change) g_lists[N].on_change();
}

UAT_CSTRING_CB_DEF(list, value, Entry)
UAT_CSTRING_CB_DEF(list, comment, Entry)

template <int N>
void register_slot(module_t *module, const char *name, const char *title, const char *description,
                   const char *value_title) {
    static uat_field_t fields[] = {
        {"value", value_title, PT_TXTMOD_STRING, {uat_fld_chk_str, list_value_set_cb, list_value_tostr_cb},
         {0, 0, 0}, 0, description, FLDFILL},
        UAT_FLD_CSTRING(list, comment, "Comment", "Why it is listed"),
        UAT_END_FIELDS};
    ListUat &l = g_lists[N];
    l.uat = uat_new(name, sizeof(Entry), name, TRUE, &l.entries, &l.count, UAT_AFFECTS_DISSECTION, nullptr,
                    copy_entry, update_entry<N>, free_entry, post_update<N>, nullptr, fields);
    // The preference's own name must not start with the module's name (the
    // UAT's, used in -o uat:NAME and as its file name, may): "<list>_table".
    const char *underscore = std::strchr(name, '_');
    l.pref_name = g_strdup_printf("%s_table", underscore ? underscore + 1 : name);
    prefs_register_uat_preference(module, l.pref_name, title, description, l.uat);
}

template <int... Ns>
void register_by_index(int index, module_t *module, const char *name, const char *title, const char *description,
                       const char *value_title, std::integer_sequence<int, Ns...>) {
    ((index == Ns ? register_slot<Ns>(module, name, title, description, value_title) : void()), ...);
}

}  // namespace

ListUat *register_list_uat(module_t *module, const char *name, const char *title, const char *description,
                           const char *value_title, ListValueCheck check, void (*on_change)()) {
    if (g_used >= kSlots) return nullptr;
    const int index = g_used++;
    g_lists[index].check = check;
    g_lists[index].on_change = on_change;
    register_by_index(index, module, name, title, description, value_title, std::make_integer_sequence<int, kSlots>());
    return &g_lists[index];
}

std::string list_uat_values(const ListUat *uat) {
    std::string out;
    if (!uat) return out;
    for (guint i = 0; i < uat->count; ++i) {
        if (!uat->entries[i].value) continue;
        if (!out.empty()) out += ',';
        out += uat->entries[i].value;
    }
    return out;
}

char *check_network(const char *value) {
    try {
        if (IpPrefix::parse(value)) return nullptr;
    } catch (...) {
    }
    return g_strdup_printf("\"%s\" is not an address or a CIDR block (e.g. 192.168.7.0/24, 2001:db8:1:2::/64)", value);
}

char *check_domain(const char *value) {
    for (const char *c = value; *c; ++c)
        if (*c == ',' || *c == ' ' || *c == '"') return g_strdup_printf("\"%s\" is not a DNS domain", value);
    return nullptr;
}

char *check_nonempty(const char *value) {
    for (const char *c = value; *c; ++c)
        if (*c == ',') return g_strdup("A key cannot contain a comma");
    return nullptr;
}

}  // namespace phonehome::glue
