#!/usr/bin/python3
"""A SCPI instrument on a serial line, for the edge agent's tests (stdlib only).

Usage: scpi_instrument.py TTY_PATH

Answers, each line ended by LF:
  *IDN?                        -> LabMeter Test,SCPI-1,SN0042,1.0.3
  any other query ending in ?  -> the operation condition register, decimal (e.g. 16)
Control lines on stdin (one per line; each is confirmed with "ok ..." on stdout):
  reg N       the register value from now on (16 = measuring, 512 = fault in the tests)
  garbage     answer queries with bytes that are not a number
  silent      answer nothing (a timeout)
  normal      answer again
"""
import os
import sys

from pty_line import open_raw, serve

IDN = "LabMeter Test,SCPI-1,SN0042,1.0.3"


def main():
    fd = open_raw(sys.argv[1])
    state = {"reg": 16, "mode": "normal"}

    def on_query(q):
        if not q.endswith("?") or state["mode"] == "silent":
            return
        if q.upper() == "*IDN?":
            reply = IDN.encode()
        elif state["mode"] == "garbage":
            reply = b"\x8f\x02#!\xfe"
        else:
            reply = str(state["reg"]).encode()
        os.write(fd, reply + b"\n")

    def on_control(c):
        if c.startswith("reg "):
            state["reg"] = int(c[4:])
        elif c in ("garbage", "silent", "normal"):
            state["mode"] = c

    print("ready", flush=True)
    serve(fd, on_query, on_control)


if __name__ == "__main__":
    main()
