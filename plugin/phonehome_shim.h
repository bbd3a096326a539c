/* The C ABI between plugin_entry.c (the entry points Wireshark looks up) and
 * the C++ glue. Nothing C++ crosses this line. */
#ifndef PHONEHOME_SHIM_H
#define PHONEHOME_SHIM_H

#ifdef __cplusplus
extern "C" {
#endif

void phonehome_register_protocol(void);
void phonehome_register_handoff(void);

#ifdef __cplusplus
}
#endif

#endif
