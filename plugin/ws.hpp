// Every Wireshark header the C++ glue uses, in one place. The core ones carry
// their own extern "C" guards; the wrapper makes sure headers that do not
// (see the facts file) still link.
#pragma once

// glib pulls in C++ headers (<type_traits>) when compiled as C++: include it
// before the extern "C" block so they keep C++ linkage.
#include <type_traits>
#include <glib.h>

extern "C" {
#include <wireshark.h>
#include <epan/packet.h>
#include <epan/proto.h>
#include <epan/proto_data.h>
#include <epan/expert.h>
#include <epan/prefs.h>
#include <epan/uat.h>
#include <epan/range.h>
#include <epan/tap.h>
#include <epan/stat_tap_ui.h>
#include <epan/to_str.h>
#include <epan/address.h>
#include <epan/column-utils.h>
#include <epan/frame_data.h>
#include <epan/ftypes/ftypes.h>
#include <wsutil/wmem/wmem_list.h>
}
