"""A small driver for Debian's Chromium, headless, over the DevTools protocol (CDP) on a pipe
(``--remote-debugging-pipe``: JSON messages, each ended by a NUL byte, on file descriptors 3
and 4): the standard library only, no WebDriver.

A :class:`Page` records what the browser tests check: console errors and uncaught exceptions
(``Runtime``, ``Log``), and every request the page makes (``Network.requestWillBeSent``).
"""

from __future__ import annotations

import base64
import contextlib
import fcntl
import json
import os
import select
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

CHROMIUM = "chromium"
MISSING = ("Debian's chromium is not installed: run `make setup` (it installs the system "
           "packages of .ci/system-deps.sh)")


class BrowserError(RuntimeError):
    pass


def chromium_path() -> str:
    found = shutil.which(CHROMIUM)
    if found is None:
        raise BrowserError(MISSING)
    return found


@dataclass
class Page:
    """One tab: what it logged and requested since it was opened."""

    browser: Browser
    session: str
    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)

    def send(self, method: str, params: dict[str, Any] | None = None,
             timeout: float = 30) -> dict[str, Any]:
        return self.browser.send(method, params, session=self.session, timeout=timeout)

    def goto(self, url: str, timeout: float = 30) -> None:
        self.browser.loaded.discard(self.session)
        self.send("Page.navigate", {"url": url})
        deadline = time.monotonic() + timeout
        while self.session not in self.browser.loaded:
            if time.monotonic() > deadline:
                raise BrowserError(f"{url} did not load in {timeout} s")
            self.browser.pump(0.1)

    def eval(self, expression: str, timeout: float = 30) -> Any:
        """The value of a JavaScript expression (a promise is awaited)."""
        reply = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True,
                                               "awaitPromise": True}, timeout=timeout)
        if "exceptionDetails" in reply:
            details = reply["exceptionDetails"]
            text = details.get("exception", {}).get("description") or details.get("text")
            raise BrowserError(f"{expression[:80]}…: {text}")
        return reply["result"].get("value")

    def wait_for(self, expression: str, timeout: float = 20) -> Any:
        """Wait until a JavaScript expression is truthy; its value."""
        deadline = time.monotonic() + timeout
        while True:
            value = self.eval(expression)
            if value:
                return value
            if time.monotonic() > deadline:
                raise BrowserError(f"still false after {timeout} s: {expression}")
            self.browser.pump(0.1)

    def screenshot(self, path: Path) -> None:
        data = self.send("Page.captureScreenshot", {"format": "png"})["data"]
        path.write_bytes(base64.b64decode(data))

    def close(self) -> None:
        self.browser.send("Target.closeTarget", {"targetId": self.browser.targets[self.session]})


class Browser:
    """Chromium, headless, driven over its DevTools pipe."""

    def __init__(self, width: int = 1400, height: int = 880) -> None:
        self.width, self.height = width, height
        self.profile = tempfile.mkdtemp(prefix="hindsight-chromium-")
        to_child, self._write = os.pipe()
        self._read, from_child = os.pipe()

        def descriptors() -> None:  # in the child: the pipe on 3 (commands) and 4 (replies)
            # Moved out of the way first: either may be 3 or 4 already.
            commands = fcntl.fcntl(to_child, fcntl.F_DUPFD, 10)
            replies = fcntl.fcntl(from_child, fcntl.F_DUPFD, 10)
            os.dup2(commands, 3)
            os.dup2(replies, 4)

        self.process = subprocess.Popen(
            [chromium_path(), "--headless=new", "--remote-debugging-pipe", "--no-sandbox",
             "--disable-gpu", "--no-first-run", "--no-default-browser-check",
             "--disable-extensions", "--disable-background-networking", "--mute-audio",
             f"--user-data-dir={self.profile}", f"--window-size={width},{height}",
             "--hide-scrollbars", "about:blank"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            preexec_fn=descriptors, close_fds=False)  # Python's own descriptors are
        # not inherited anyway (PEP 446); closing them would close 3 and 4 after the dup2
        os.close(to_child)
        os.close(from_child)
        self._buffer = b""
        self._next = 0
        self._replies: dict[int, dict[str, Any]] = {}
        self.pages: dict[str, Page] = {}
        self.targets: dict[str, str] = {}
        self.loaded: set[str] = set()
        self.send("Browser.getVersion", timeout=30)

    # --- the protocol ------------------------------------------------------------------------

    def send(self, method: str, params: dict[str, Any] | None = None, *,
             session: str | None = None, timeout: float = 30) -> dict[str, Any]:
        self._next += 1
        ident = self._next
        message: dict[str, Any] = {"id": ident, "method": method, "params": params or {}}
        if session is not None:
            message["sessionId"] = session
        os.write(self._write, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + timeout
        while ident not in self._replies:
            if time.monotonic() > deadline:
                raise BrowserError(f"no answer to {method} in {timeout} s")
            self.pump(0.1)
        reply = self._replies.pop(ident)
        if "error" in reply:
            raise BrowserError(f"{method}: {reply['error'].get('message')}")
        return reply.get("result", {})

    def pump(self, wait: float) -> None:
        """Read what the browser sent (waiting up to ``wait`` seconds for something)."""
        if self.process.poll() is not None:
            raise BrowserError(f"chromium exited with {self.process.returncode}")
        ready, _, _ = select.select([self._read], [], [], wait)
        if not ready:
            return
        chunk = os.read(self._read, 1 << 20)
        if not chunk:
            raise BrowserError("chromium closed its DevTools pipe")
        self._buffer += chunk
        *messages, self._buffer = self._buffer.split(b"\0")
        for raw in messages:
            self._dispatch(json.loads(raw))

    def _dispatch(self, message: dict[str, Any]) -> None:
        if "id" in message:
            self._replies[message["id"]] = message
            return
        page = self.pages.get(message.get("sessionId", ""))
        if page is None:
            return
        method, params = message.get("method"), message.get("params", {})
        if method == "Page.loadEventFired":
            self.loaded.add(page.session)
        elif method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
            page.errors.append("console: " + " ".join(
                str(a.get("value", a.get("description", ""))) for a in params.get("args", [])))
        elif method == "Runtime.exceptionThrown":
            details = params.get("exceptionDetails", {})
            page.errors.append("exception: " + str(
                details.get("exception", {}).get("description") or details.get("text")))
        elif method == "Log.entryAdded" and params["entry"].get("level") == "error":
            entry = params["entry"]
            page.errors.append(f"log ({entry.get('source')}): {entry.get('text')} "
                               f"{entry.get('url', '')}".rstrip())
        elif method == "Network.requestWillBeSent":
            page.requests.append(params["request"]["url"])

    # --- pages -------------------------------------------------------------------------------

    def new_page(self) -> Page:
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.send("Target.attachToTarget", {"targetId": target,
                                                      "flatten": True})["sessionId"]
        page = Page(self, session)
        self.pages[session] = page
        self.targets[session] = target
        for domain in ("Page", "Runtime", "Log", "Network"):
            page.send(f"{domain}.enable")
        page.send("Emulation.setDeviceMetricsOverride", {
            "width": self.width, "height": self.height, "deviceScaleFactor": 1,
            "mobile": False})
        return page

    def close(self) -> None:
        with contextlib.suppress(BrowserError):  # it may be gone already
            self.send("Browser.close", timeout=5)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        os.close(self._write)
        os.close(self._read)
        shutil.rmtree(self.profile, ignore_errors=True)


def screenshot(page_file: Path, out: Path, script: str = "") -> list[str]:
    """A 1400×880 picture of a page (after ``script``, when given); the errors it logged."""
    browser = Browser()
    try:
        page = browser.new_page()
        page.goto(page_file.resolve().as_uri())
        if script:
            page.eval(script)
        time.sleep(0.3)  # the last layout
        page.screenshot(out)
        return page.errors
    finally:
        browser.close()


if __name__ == "__main__":  # python -m tests.web.browser PAGE.html OUT.png [SCRIPT]
    import sys

    errors = screenshot(Path(sys.argv[1]), Path(sys.argv[2]), " ".join(sys.argv[3:]))
    for line in errors:
        print(line, file=sys.stderr)
    sys.exit(1 if errors else 0)
