/* The symbols Wireshark looks up in a plugin. Plain C, so the ABI is exactly
 * what epan expects; the work is done behind phonehome_shim.h. */
#include <wireshark.h>
#include <epan/proto.h>
/* Not installed with 4.0; from 4.2 on it defines the kinds of plugin. */
#if __has_include(<wsutil/plugins.h>)
#include <wsutil/plugins.h>
#endif

#include "phonehome_shim.h"

#define PHONEHOME_EXPORT __attribute__((visibility("default")))

PHONEHOME_EXPORT const char plugin_version[] = PHONEHOME_VERSION;
PHONEHOME_EXPORT const int plugin_want_major = WIRESHARK_VERSION_MAJOR;
PHONEHOME_EXPORT const int plugin_want_minor = WIRESHARK_VERSION_MINOR;

PHONEHOME_EXPORT void plugin_register(void);

void plugin_register(void)
{
    static proto_plugin plugin;
    plugin.register_protoinfo = phonehome_register_protocol;
    plugin.register_handoff = phonehome_register_handoff;
    proto_register_plugin(&plugin);
}

/* Where Wireshark asks what kind of plugin this is (the series whose
 * wsutil/plugins.h defines the kinds), a dissector plugin: `tshark -G plugins`
 * then lists it as one. */
#ifdef WS_PLUGIN_DESC_DISSECTOR
PHONEHOME_EXPORT uint32_t plugin_describe(void);

uint32_t plugin_describe(void)
{
    return WS_PLUGIN_DESC_DISSECTOR;
}
#endif
