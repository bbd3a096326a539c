// Body layouts of PPPP messages (internal to pppp.cpp, split out so the
// recogniser stays short). Layouts from pmarrapese/iot pppp.fdesc.
#pragma once

#include "heuristics/detectors/p2p/pppp.hpp"

namespace phonehome {

// Fills the per-type fields of `m` from m.bytes (whose header is already
// valid); sets m.malformed when the body does not fit the type's layout.
void pppp_parse_body(PpppMessage &m);

// Reads a 20-byte UID (char prefix[8], u32 BE serial, char check[8]) as
// "PREFIX-NNNNNN-CHECK"; nullopt when the strings are not 1..8 upper-case
// letters followed by NULs.
std::optional<std::string> pppp_read_uid(const uint8_t *p);

// The same rules without building the text: true when the 20 bytes at `p`
// read as a UID.
bool pppp_uid_valid(const uint8_t *p);

// True for the types whose body starts with the device's 20-byte UID
// (`body_len` tells the two messages of a reused type apart).
bool pppp_uid_at_body_start(uint8_t type, size_t body_len);

}  // namespace phonehome
