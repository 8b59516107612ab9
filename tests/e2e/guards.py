"""What every journey page must not show: console errors, uncaught page errors, HTTP 5xx
answers, serious or critical axe-core findings, and (at phone width) horizontal overflow.

Use one :class:`Watch` per journey::

    watch = Watch()
    page = watch.page(browser)             # a new context and page, guarded
    page2 = watch.page(browser, phone=True)  # 390 px wide: overflow is checked on every load
    ...
    watch.assert_clean()                   # at the end: fails with everything seen

axe-core (bundled by axe-playwright-python; no CDN) runs inside every page after its load
event, through an init script, so every page a journey visits is audited without the journey
asking, and the production Content-Security-Policy stays in force (a CSP violation is a
console error, so it fails the journey too).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from tests.e2e.conftest import TIMEOUT_MS

SEVERE = ("serious", "critical")
PHONE = {"width": 390, "height": 844}

_AUDIT = """
(() => {
  if (window.top !== window || !location.protocol.startsWith('http')) return;
  const phone = %(phone)s;
  const report = window.__journeyReport;
  const audit = () => {
    const overflow = phone && document.documentElement.scrollWidth > window.innerWidth + 1
      ? document.documentElement.scrollWidth : 0;
    const offenders = [];
    if (overflow) {
      for (const el of document.querySelectorAll('body *')) {
        const r = el.getBoundingClientRect();
        if (r.right > window.innerWidth + 1 && offenders.length < 3) {
          offenders.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
            (el.className && typeof el.className === 'string' ? '.' + el.className.split(' ')[0] : ''));
        }
      }
    }
    window.axe.run(document, {resultTypes: ['violations']}).then((result) => {
      const severe = result.violations.filter(v => %(severe)s.includes(v.impact)).map(v =>
        `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map(n => n.target.join(' ')).join('; ')}`);
      report({url: location.href, severe, overflow, offenders});
    }).catch((e) => report({url: location.href, severe: ['axe failed: ' + e], overflow, offenders}));
  };
  if (document.readyState === 'complete') setTimeout(audit, 50);
  else window.addEventListener('load', () => setTimeout(audit, 50));
})();
"""


def _axe_source() -> str:
    import axe_playwright_python

    return (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text()


@dataclass
class Watch:
    """Collects what went wrong on every page opened through it."""

    problems: list[str] = field(default_factory=list)
    audited: list[str] = field(default_factory=list)
    ignore_console: tuple[str, ...] = ()

    def page(self, browser, *, phone: bool = False, **context_options):
        """A new browser context and page, every load audited; ``phone`` sets 390 px."""
        if phone:
            context_options.setdefault("viewport", PHONE)
            context_options.setdefault("is_mobile", True)
            context_options.setdefault("has_touch", True)
        context = browser.new_context(**context_options)
        self.guard_context(context, phone=phone)
        page = context.new_page()
        page.set_default_timeout(TIMEOUT_MS)
        return page

    def guard_context(self, context, *, phone: bool = False) -> None:
        context.expose_binding("__journeyReport", lambda source, data: self._report(data))
        context.add_init_script(script=_axe_source())
        context.add_init_script(
            script=_AUDIT % {"phone": json.dumps(phone), "severe": json.dumps(SEVERE)}
        )
        context.on("page", self._guard_page)

    def _guard_page(self, page) -> None:
        page.on("console", lambda msg: self._console(page, msg))
        page.on("pageerror", lambda exc: self.problems.append(f"{page.url}: page error {exc}"))
        page.on("response", lambda response: self._response(response))

    def _console(self, page, msg) -> None:
        if msg.type != "error":
            return
        text = msg.text
        if any(fragment in text for fragment in self.ignore_console):
            return
        self.problems.append(f"{page.url}: console error: {text}")

    def _response(self, response) -> None:
        if response.status >= 500:
            self.problems.append(f"{response.url}: HTTP {response.status}")

    def _report(self, data: dict) -> None:
        self.audited.append(data["url"])
        for finding in data.get("severe", []):
            self.problems.append(f"{data['url']}: axe {finding}")
        if data.get("overflow"):
            self.problems.append(
                f"{data['url']}: {data['overflow']} px wide on a 390 px phone "
                f"(overflowing: {', '.join(data.get('offenders') or [])})"
            )

    def settle(self, page, ms: int = 400) -> None:
        """Give the current page's audit time to report (call before leaving a page you
        only glance at, e.g. the last one of a journey)."""
        page.wait_for_load_state("load")
        page.wait_for_timeout(ms)

    def assert_clean(self) -> None:
        assert self.audited, "no page was audited: the init script did not run"
        assert not self.problems, "\n".join(dict.fromkeys(self.problems))
