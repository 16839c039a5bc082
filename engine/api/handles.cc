// Handles: compile-time checks of the encoding described in handles.h.

#include "engine/api/handles.h"

#include "esent.h"

namespace jetsvc {
namespace api {

// Handles must fit the API's handle type.
static_assert(sizeof(JET_API_PTR) * 8 >= 32, "JET_API_PTR is at least 32 bits");

// Invariant 3 of handles.h: the nil values never decode to a live object.
// ~0 has kind bits 3 (a table) and the all-ones serial, which is above
// MaxHandleSerial() for every pointer width.
static_assert(SerialOfHandle(~uint64_t{0}) > MaxHandleSerial(64), "nil is never issued");
static_assert((~uint64_t{0} >> (64 - 32) >> kHandleKindBits) > MaxHandleSerial(32),
              "32-bit nil is never issued");
static_assert(SerialOfHandle(0) == 0, "serial 0 is never issued");
static_assert(MakeHandle(HandleKind::kTable, MaxHandleSerial(32)) <= 0xFFFFFFFEull,
              "32-bit handles stay below the 32-bit nil value");
static_assert(KindOfHandle(MakeHandle(HandleKind::kSession, 7)) == HandleKind::kSession,
              "kind round trip");

}  // namespace api
}  // namespace jetsvc
