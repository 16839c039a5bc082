// The shipped introspection XML (platform/dbus/org.jetsvc.Jetsvc1.xml)
// against what the live object answers to
// org.freedesktop.DBus.Introspectable.Introspect: the same methods,
// arguments, properties and signals, with the same signatures and names.

#include <cstdlib>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <boost/property_tree/ptree.hpp>
#include <boost/property_tree/xml_parser.hpp>
#include <gtest/gtest.h>
#include <sdbus-c++/sdbus-c++.h>

#include "tests/unit/dbus/dbus_test_util.h"

namespace jetsvc::testing {
namespace {

namespace pt = boost::property_tree;

// One interface, as a comparable description: each member maps to a list
// of "direction name type" (methods, signals) or "type access"
// (properties).
struct InterfaceModel {
  std::map<std::string, std::vector<std::string>> methods;
  std::map<std::string, std::vector<std::string>> signals;
  std::map<std::string, std::string> properties;
  // Methods that carry the annotation org.freedesktop.systemd1.Privileged.
  std::set<std::string> privileged_methods;
};

using Model = std::map<std::string, InterfaceModel>;

std::string Attribute(const pt::ptree& node, const char* name, const std::string& fallback = "") {
  return node.get<std::string>(std::string("<xmlattr>.") + name, fallback);
}

std::vector<std::string> Arguments(const pt::ptree& member, const std::string& default_direction) {
  std::vector<std::string> args;
  for (const auto& child : member) {
    if (child.first != "arg") continue;
    args.push_back(Attribute(child.second, "direction", default_direction) + " " +
                   Attribute(child.second, "name") + " " + Attribute(child.second, "type"));
  }
  return args;
}

bool HasPrivilegedAnnotation(const pt::ptree& member) {
  for (const auto& child : member) {
    if (child.first == "annotation" &&
        Attribute(child.second, "name") == "org.freedesktop.systemd1.Privileged" &&
        Attribute(child.second, "value") == "true") {
      return true;
    }
  }
  return false;
}

Model ParseIntrospection(const std::string& xml) {
  std::istringstream in(xml);
  pt::ptree tree;
  pt::read_xml(in, tree, pt::xml_parser::no_comments | pt::xml_parser::trim_whitespace);
  Model model;
  for (const auto& child : tree.get_child("node")) {
    if (child.first != "interface") continue;
    InterfaceModel& interface = model[Attribute(child.second, "name")];
    for (const auto& member : child.second) {
      const std::string name = Attribute(member.second, "name");
      if (member.first == "method") {
        interface.methods[name] = Arguments(member.second, "in");
        if (HasPrivilegedAnnotation(member.second)) interface.privileged_methods.insert(name);
      } else if (member.first == "signal") {
        interface.signals[name] = Arguments(member.second, "out");
      } else if (member.first == "property") {
        interface.properties[name] =
            Attribute(member.second, "type") + " " + Attribute(member.second, "access");
      }
    }
  }
  return model;
}

std::string ShippedXml() {
  return ReadWholeFile(std::string(JETSVC_TEST_SOURCE_DIR) +
                       "/platform/dbus/org.jetsvc.Jetsvc1.xml");
}

std::string Introspect(sdbus::IProxy& proxy) {
  std::string xml;
  proxy.callMethod("Introspect").onInterface(names::kIntrospectableInterface).storeResultsTo(xml);
  return xml;
}

void ExpectSameInterfaces(const Model& shipped, const Model& live) {
  for (const char* interface : {names::kManagerInterface, names::kStoreInterface}) {
    SCOPED_TRACE(interface);
    ASSERT_EQ(1u, shipped.count(interface)) << "the XML lacks the interface";
    ASSERT_EQ(1u, live.count(interface)) << "the object lacks the interface";
    const InterfaceModel& want = shipped.at(interface);
    const InterfaceModel& got = live.at(interface);
    EXPECT_EQ(want.methods, got.methods);
    EXPECT_EQ(want.signals, got.signals);
    EXPECT_EQ(want.properties, got.properties);
  }
}

TEST(IntrospectionTest, ShippedXmlDescribesTheWholeApi) {
  const Model shipped = ParseIntrospection(ShippedXml());
  ASSERT_EQ(1u, shipped.count(names::kManagerInterface));
  ASSERT_EQ(1u, shipped.count(names::kStoreInterface));
  const InterfaceModel& manager = shipped.at(names::kManagerInterface);
  EXPECT_EQ((std::vector<std::string>{"in timeout_ms u", "out quiesced b", "out elapsed_usec t"}),
            manager.methods.at("PrepareStop"));
  EXPECT_EQ(4u, manager.methods.size());
  EXPECT_EQ(7u, manager.properties.size());
  EXPECT_EQ((std::vector<std::string>{"out state s"}), manager.signals.at("StateChanged"));
  const InterfaceModel& store = shipped.at(names::kStoreInterface);
  EXPECT_EQ(5u, store.methods.size());
  EXPECT_EQ((std::vector<std::string>{"in items a(say)", "in durable b", "out count u"}),
            store.methods.at("PutBatch"));
}

class IntrospectionServerTest : public ServerFixture {};

TEST_F(IntrospectionServerTest, LiveObjectMatchesTheShippedXml) {
  ExpectSameInterfaces(ParseIntrospection(ShippedXml()), ParseIntrospection(Introspect(*proxy_)));
}

TEST(IntrospectionSystemBusTest, ManagerMethodsArePrivilegedOnTheSystemBus) {
  // sd-bus checks privileges (and shows the annotation) only on a
  // connection opened as the system bus.
  PrivateBus bus;
  std::string error;
  ASSERT_TRUE(bus.Start(&error)) << error;
  const char* old = std::getenv("DBUS_SYSTEM_BUS_ADDRESS");
  const std::string saved = old == nullptr ? "" : old;
  ::setenv("DBUS_SYSTEM_BUS_ADDRESS", bus.address().c_str(), 1);
  FakeController controller;
  auto server = platform::DbusServer::Start(platform::BusOptions{}, &controller, &error);
  if (old == nullptr) {
    ::unsetenv("DBUS_SYSTEM_BUS_ADDRESS");
  } else {
    ::setenv("DBUS_SYSTEM_BUS_ADDRESS", saved.c_str(), 1);
  }
  ASSERT_NE(nullptr, server) << error;
  auto connection = sdbus::createSessionBusConnectionWithAddress(bus.address());
  auto proxy = sdbus::createProxy(*connection, names::kBusName, names::kObjectPath);

  const Model shipped = ParseIntrospection(ShippedXml());
  const Model live = ParseIntrospection(Introspect(*proxy));
  ExpectSameInterfaces(shipped, live);
  for (const char* interface : {names::kManagerInterface, names::kStoreInterface}) {
    SCOPED_TRACE(interface);
    EXPECT_EQ(shipped.at(interface).privileged_methods, live.at(interface).privileged_methods);
  }
  EXPECT_EQ(4u, live.at(names::kManagerInterface).privileged_methods.size());
  EXPECT_TRUE(live.at(names::kStoreInterface).privileged_methods.empty());
  // Root has CAP_SYS_ADMIN: the privileged methods work for it.
  proxy->callMethod("Resume").onInterface(names::kManagerInterface);
  EXPECT_EQ(1, controller.resume_calls());
}

}  // namespace
}  // namespace jetsvc::testing
