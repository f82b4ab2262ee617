#!/usr/bin/python3
"""An instrument that prints a text status line, for the edge agent's tests (stdlib only).

Usage: text_status_instrument.py TTY_PATH [PUSH_MS]

Without PUSH_MS it answers the query STATUS? with a line; with PUSH_MS it prints that line by
itself every PUSH_MS milliseconds and ignores queries. Lines end with CR LF:
  T=21.5 STATE=<word> P=3
Control lines on stdin (each confirmed with "ok ..." on stdout):
  state WORD  the status word from now on (RUN, READY, ERR in the tests)
  raw TEXT    send TEXT as the whole line instead
  garbage     send control bytes instead
  silent      send nothing
  normal      back to the status line
"""
import os
import sys

from pty_line import open_raw, serve


def main():
    fd = open_raw(sys.argv[1])
    push = int(sys.argv[2]) / 1000.0 if len(sys.argv) > 2 else None
    state = {"word": "RUN", "mode": "normal", "raw": ""}

    def line():
        if state["mode"] == "silent":
            return None
        if state["mode"] == "garbage":
            return b"\x1b\x07STA\x00TE\xff"
        if state["mode"] == "raw":
            return state["raw"].encode()
        return ("T=21.5 STATE=%s P=3" % state["word"]).encode()

    def send():
        out = line()
        if out is not None:
            os.write(fd, out + b"\r\n")

    def on_query(q):
        if push is None and q == "STATUS?":
            send()

    def on_control(c):
        if c.startswith("state "):
            state["word"], state["mode"] = c[6:], "normal"
        elif c.startswith("raw "):
            state["raw"], state["mode"] = c[4:], "raw"
        elif c in ("garbage", "silent", "normal"):
            state["mode"] = c

    print("ready", flush=True)
    serve(fd, on_query, on_control, tick=send if push else None, tick_seconds=push,
          terminator=b"\n")


if __name__ == "__main__":
    main()
