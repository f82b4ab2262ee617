"""Shared by the serial emulators: open a pty (or tty) path raw, and read lines from it and stdin."""
import os
import select
import sys
import termios
import tty


def open_raw(path):
    fd = os.open(path, os.O_RDWR | os.O_NOCTTY)
    tty.setraw(fd)
    attrs = termios.tcgetattr(fd)
    attrs[3] &= ~termios.ECHO
    termios.tcsetattr(fd, termios.TCSANOW, attrs)
    return fd


def serve(fd, on_query, on_control, tick=None, tick_seconds=None, terminator=b"\n"):
    """Calls on_query(text) per line read from fd, on_control(text) per line from stdin,
    tick() every tick_seconds when given. A closed stdin ends the emulator."""
    buf = b""
    control = b""
    stdin = sys.stdin.fileno()
    while True:
        ready, _, _ = select.select([fd, stdin], [], [], tick_seconds)
        if not ready and tick:
            tick()
        if stdin in ready:
            # os.read, not sys.stdin.readline: a buffered reader would hide a second line from select.
            data = os.read(stdin, 1024)
            if not data:
                return
            control += data
            while b"\n" in control:
                line, control = control.split(b"\n", 1)
                text = line.decode().strip()
                on_control(text)
                print("ok", text, flush=True)
        if fd in ready:
            buf += os.read(fd, 1024)
            while terminator in buf:
                line, buf = buf.split(terminator, 1)
                on_query(line.decode("latin-1").strip())
