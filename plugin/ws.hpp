// Every Wireshark header the C++ glue uses, in one place. Each carries its own
// extern "C" guard on every supported series (4.0 to 4.6), and from 4.4 on
// wireshark.h pulls in C++ templates, so none is wrapped in extern "C" here.
// plugin/ is linked with --no-undefined: a header that lost its guard fails
// the link instead of silently failing to load.
#pragma once

#include <wireshark.h>
#include <epan/packet.h>
#include <epan/proto.h>
#include <epan/proto_data.h>
#include <epan/expert.h>
#include <epan/prefs.h>
#include <epan/uat.h>
#include <epan/range.h>
#include <epan/tap.h>
#include <epan/tfs.h>
#include <epan/stat_tap_ui.h>
#include <epan/to_str.h>
#include <epan/address.h>
#include <epan/column-utils.h>
#include <epan/conversation.h>
#include <epan/frame_data.h>
#include <epan/ftypes/ftypes.h>
#include <epan/addr_resolv.h>
#include <epan/maxmind_db.h>
#include <wsutil/wmem/wmem_list.h>
