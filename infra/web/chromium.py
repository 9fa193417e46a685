"""Debian's Chromium as the console's tests, screenshots and benchmark launch it: one owner."""

from __future__ import annotations

CHROMIUM = "/usr/bin/chromium"

# Headless on a CI machine: no sandbox (containers), no GPU, nothing phoned home.
CHROMIUM_ARGS: list[str] = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

# For pages that open the microphone: a fake device, granted without a prompt.
MEDIA_ARGS: list[str] = [
    "--use-fake-ui-for-media-stream",
    "--use-fake-device-for-media-stream",
    "--allow-loopback-in-peer-connection",
]
