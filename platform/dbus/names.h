// The names of the jetsvc D-Bus API: bus name, object path, interfaces and
// the error-name prefix. The API itself is specified, with its
// documentation, in platform/dbus/org.jetsvc.Jetsvc1.xml; the server
// (dbus_server.h) and the client (service/jetctl/) both use these names.
//
// Thread contract: constants only.

#ifndef JETSVC_PLATFORM_DBUS_NAMES_H_
#define JETSVC_PLATFORM_DBUS_NAMES_H_

namespace jetsvc {
namespace platform {
namespace dbus_names {

// The well-known bus name the daemon owns.
inline constexpr char kBusName[] = "org.jetsvc.Jetsvc1";
// The one object it exports.
inline constexpr char kObjectPath[] = "/org/jetsvc/Jetsvc1";
// The two-phase stop, defragmentation and engine state.
inline constexpr char kManagerInterface[] = "org.jetsvc.Jetsvc1.Manager";
// The key-value store.
inline constexpr char kStoreInterface[] = "org.jetsvc.Jetsvc1.Store";
// A Controller error of kind K arrives as the D-Bus error
// kErrorPrefix + ErrorKindName(K), e.g. "org.jetsvc.Jetsvc1.Error.NotFound".
inline constexpr char kErrorPrefix[] = "org.jetsvc.Jetsvc1.Error.";

// Standard interfaces the object also answers.
inline constexpr char kPropertiesInterface[] = "org.freedesktop.DBus.Properties";
inline constexpr char kIntrospectableInterface[] = "org.freedesktop.DBus.Introspectable";

}  // namespace dbus_names
}  // namespace platform
}  // namespace jetsvc

#endif  // JETSVC_PLATFORM_DBUS_NAMES_H_
