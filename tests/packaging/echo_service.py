#!/usr/bin/python3
"""Stand-in for the jetsvc daemon in the D-Bus policy test.

Usage: echo_service.py BUS_ADDRESS NAME

Connects to the bus at BUS_ADDRESS and requests NAME. Prints "owned" and
serves if the bus grants the name, prints the D-Bus error name and exits 3 if
the bus refuses it. While serving it answers every method call addressed to
it with an empty reply, so a caller sees either that reply (the bus let the
call through) or the bus's own AccessDenied error (the policy stopped it).
"""

import sys

import dbus
import dbus.bus
import dbus.lowlevel
from dbus.mainloop.glib import DBusGMainLoop
from gi.repository import GLib


def main():
    if len(sys.argv) != 3:
        sys.stderr.write("usage: echo_service.py BUS_ADDRESS NAME\n")
        return 2
    address, name = sys.argv[1], sys.argv[2]
    bus = dbus.bus.BusConnection(address, mainloop=DBusGMainLoop())
    try:
        reply = bus.request_name(name, dbus.bus.NAME_FLAG_DO_NOT_QUEUE)
    except dbus.exceptions.DBusException as e:
        print(e.get_dbus_name(), flush=True)
        return 3
    if reply != dbus.bus.REQUEST_NAME_REPLY_PRIMARY_OWNER:
        print("not-primary-owner %d" % reply, flush=True)
        return 3

    def answer(connection, message):
        if isinstance(message, dbus.lowlevel.MethodCallMessage):
            connection.send_message(dbus.lowlevel.MethodReturnMessage(message))
            return dbus.lowlevel.HANDLER_RESULT_HANDLED
        return dbus.lowlevel.HANDLER_RESULT_NOT_YET_HANDLED

    bus.add_message_filter(answer)
    print("owned", flush=True)
    GLib.MainLoop().run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
