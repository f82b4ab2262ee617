#!/usr/bin/python3
"""A Modbus TCP energy meter emulator for the edge agent's tests (pymodbus 3.0.x).

Usage: energy_meter_tcp.py PORT

Unit 1: an Eastron SDM120 map, input registers, float32 high word first:
        wire 0 = 230.5 V, 6 = 6.25 A, 12 = 1440.0 W, 30 = 0.95, 342 = 1234.5 kWh.
Unit 2: the same power and energy, float32 LOW word first, at wire 100 (power) and 102 (energy).
Unit 3: discrete input 0 set (a run lamp that is on).
Any other unit id gets no answer at all (ignore_missing_slaves), like a dead meter behind a gateway.
Reading an address that unit 1 does not hold gives exception 02 (illegal data address).
"""
import struct
import sys

from pymodbus.datastore import (ModbusSequentialDataBlock, ModbusServerContext,
                                 ModbusSlaveContext, ModbusSparseDataBlock)
from pymodbus.server import StartTcpServer


def words(value, high_first=True):
    hi, lo = struct.unpack(">HH", struct.pack(">f", value))
    return [hi, lo] if high_first else [lo, hi]


def sdm120():
    regs = {}
    for addr, value in ((0, 230.5), (6, 6.25), (12, 1440.0), (30, 0.95), (342, 1234.5)):
        for i, w in enumerate(words(value)):
            regs[addr + i] = w
    # pymodbus adds 1 to the request address before looking it up in a data block.
    return ModbusSlaveContext(ir=ModbusSparseDataBlock({a + 1: w for a, w in regs.items()}),
                              zero_mode=False)


def low_first():
    regs = words(1440.0, False) + words(1234.5, False)
    return ModbusSlaveContext(ir=ModbusSparseDataBlock({101 + i: w for i, w in enumerate(regs)}),
                              zero_mode=False)


def run_lamp():
    return ModbusSlaveContext(di=ModbusSequentialDataBlock(1, [1, 0, 0, 0, 0, 0, 0, 0]),
                              zero_mode=False)


def main():
    port = int(sys.argv[1])
    context = ModbusServerContext(slaves={1: sdm120(), 2: low_first(), 3: run_lamp()}, single=False)
    print("listening", port, flush=True)
    StartTcpServer(context=context, address=("127.0.0.1", port), ignore_missing_slaves=True)


if __name__ == "__main__":
    main()
