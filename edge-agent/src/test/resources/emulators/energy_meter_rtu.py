#!/usr/bin/python3
"""The Modbus energy meter of energy_meter_tcp.py, served over Modbus RTU on a serial line
(pymodbus 3.0.x with pyserial; a socat pty pair stands in for the RS-485 segment).

Usage: energy_meter_rtu.py TTY_PATH [BAUD]

Same units as energy_meter_tcp.py: 1 = SDM120 map, 2 = low word first, 3 = run lamp; any other unit
id gets no answer, like a dead meter on the segment. 8 data bits, no parity, 1 stop bit: a Linux pty
refuses a parity setting (EINVAL), so the pty tests cannot use 8E1 as an SDM630 would.
"""
import sys

from pymodbus.server import StartSerialServer
from pymodbus.transaction import ModbusRtuFramer
from pymodbus.datastore import ModbusServerContext

from energy_meter_tcp import low_first, run_lamp, sdm120


def main():
    port = sys.argv[1]
    baud = int(sys.argv[2]) if len(sys.argv) > 2 else 9600
    context = ModbusServerContext(slaves={1: sdm120(), 2: low_first(), 3: run_lamp()}, single=False)
    print("serving", port, flush=True)
    StartSerialServer(context=context, framer=ModbusRtuFramer, port=port, baudrate=baud,
                      bytesize=8, parity="N", stopbits=1, ignore_missing_slaves=True)


if __name__ == "__main__":
    main()
