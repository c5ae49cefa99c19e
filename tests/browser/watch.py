"""Watch a browser context for script execution, CSP violations and stray requests.

Four independent channels, so one blind spot does not hide a hit:
- an init script replaces alert/confirm/prompt/print/open (what XSS payloads
  call) with functions that record the call in `window.__xss`;
- real dialogs (an alert reached through a fresh frame, say) are recorded;
- requests to anything but the live server, data: URLs and https images are recorded;
- `securitypolicyviolation` events go to `window.__csp`.
After each load a DOM scan lists markup that could run script on interaction:
event-handler attributes, javascript: URLs, frames, plugins, <base>, refreshes,
foreign forms and scripts other than our own.
"""

from dataclasses import dataclass, field

from django.conf import settings

SETTLE_MS = 50  # lets load-time timers and error events fire before the checks

INIT_SCRIPT = """
((hookDialogs) => {
  window.__xss = [];
  window.__csp = [];
  for (const name of hookDialogs ? ["alert", "confirm", "prompt", "print", "open"] : []) {
    const hook = function (...args) {
      window.__xss.push(name + "(" + args.map(String).join(", ").slice(0, 200) + ")");
      return null;
    };
    try {
      Object.defineProperty(window, name, { value: hook, writable: false, configurable: false });
    } catch (error) {
      window.__xss.push("could not hook " + name);
    }
  }
  document.addEventListener(
    "securitypolicyviolation",
    (event) => window.__csp.push({
      directive: event.violatedDirective,
      blocked: event.blockedURI,
      source: event.sourceFile,
      sample: event.sample,
    }),
    true,
  );
})(HOOK_DIALOGS);
"""

# The site's own scripts: static files, never inline (the CSP is script-src 'self').
SITE_SCRIPTS = (f"{settings.STATIC_URL}js/",)

DOM_SCAN = """
(scriptPaths) => {
  const found = [];
  const show = (element) => element.outerHTML.slice(0, 160);
  const urlAttributes = new Set([
    "href", "src", "action", "formaction", "xlink:href", "data", "poster", "background",
    "cite", "srcset", "ping", "codebase", "dynsrc", "lowsrc",
  ]);
  const scriptUrl = /^(javascript|vbscript|livescript):/i;
  const sameOrigin = (value) => {
    try { return new URL(value, location.href).origin === location.origin; }
    catch (error) { return false; }
  };
  for (const element of document.querySelectorAll("*")) {
    const tag = element.localName;
    for (const attribute of element.attributes) {
      const name = attribute.name.toLowerCase();
      // Browsers ignore whitespace and control characters inside a scheme.
      const value = attribute.value.replace(/[\\u0000-\\u0020]/g, "");
      if (name.startsWith("on")) found.push(`event handler ${name}: ${show(element)}`);
      if (name === "srcdoc") found.push(`srcdoc: ${show(element)}`);
      if (urlAttributes.has(name) && scriptUrl.test(value)) {
        found.push(`script URL in ${name}: ${show(element)}`);
      }
      if (urlAttributes.has(name) && /^data:/i.test(value) && !(tag === "img" && name === "src"
          && /^data:image\\/(png|jpe?g|gif|webp|avif)/i.test(value))) {
        found.push(`data: URL in ${name}: ${show(element)}`);
      }
    }
    if (["iframe", "frame", "frameset", "object", "embed", "applet", "base", "portal"]
        .includes(tag)) {
      found.push(`<${tag}>: ${show(element)}`);
    }
    if (tag === "meta" && (element.getAttribute("http-equiv") || "").toLowerCase() === "refresh") {
      found.push(`meta refresh: ${show(element)}`);
    }
    if (tag === "form" && !sameOrigin(element.getAttribute("action") || "")) {
      found.push(`foreign form: ${show(element)}`);
    }
    if (tag === "script") {
      const src = element.getAttribute("src");
      if (src === null) {
        if (element.type !== "application/ld+json") {
          found.push(`inline script: ${show(element)}`);
        } else {
          try { JSON.parse(element.textContent); }
          catch (error) { found.push(`broken JSON-LD: ${show(element)}`); }
        }
      } else if (!(sameOrigin(src) && scriptPaths.some(
                   (prefix) => new URL(src, location.href).pathname.startsWith(prefix)))) {
        found.push(`script element: ${show(element)}`);
      }
    }
  }
  return found;
}
"""


@dataclass
class Watch:
    """What the watched context saw; `problems()` lists every finding by URL."""

    origin: str
    dialogs: list = field(default_factory=list)
    requests: list = field(default_factory=list)
    popups: list = field(default_factory=list)
    findings: list = field(default_factory=list)
    pages_seen: int = 0
    # Off only to prove that real dialogs are caught too (the hooks would pre-empt them).
    hook_dialogs: bool = True

    def attach(self, context):
        context.add_init_script(INIT_SCRIPT.replace("HOOK_DIALOGS", str(self.hook_dialogs).lower()))
        context.on("request", self._on_request)
        context.on("page", self._on_page)

    def _on_page(self, page):
        page.on("dialog", lambda dialog: self._on_dialog(page, dialog))
        page.on("popup", lambda popup: self.popups.append(popup.url))

    def _on_dialog(self, page, dialog):
        self.dialogs.append(f"{dialog.type}({dialog.message!r}) on {page.url}")
        dialog.dismiss()

    def _on_request(self, request):
        url = request.url
        if url.startswith(self.origin + "/") or url.startswith("data:"):
            return
        if request.resource_type == "image" and url.startswith("https://"):
            return  # remote https images are allowed (REMOTE_IMAGES) and cannot run script
        self.requests.append(url)

    def visit(self, page, url, *, script_paths=SITE_SCRIPTS):
        """Load url, let it settle, and record whatever ran or could run there."""
        response = page.goto(url, wait_until="load")
        assert response is not None and response.status == 200, (url, response and response.status)
        landed = page.url
        # Lazy images below the fold would never be requested; a foreign one must be seen.
        page.evaluate(
            "document.querySelectorAll('img[loading=lazy]').forEach(i => i.loading = 'eager')"
        )
        page.wait_for_timeout(SETTLE_MS)
        self.check(page, url, script_paths=script_paths)
        if page.url != landed:
            self.findings.append((url, f"navigated by itself to {page.url}"))
        return response

    def check(self, page, label, *, script_paths=SITE_SCRIPTS):
        """Record hooked calls, CSP reports and script-capable markup on the loaded page.

        script_paths: same-origin path prefixes whose <script src> is ours (the
        admin's); the public site has only JSON-LD and its own static/js/ files
        (the code blocks' progressive enhancement, docs/markdown.md).
        """
        self.pages_seen += 1
        for frame in page.frames:
            try:
                hits, violations = frame.evaluate("[window.__xss || [], window.__csp || []]")
            except Exception as error:  # a frame that navigated away or is cross-origin
                self.findings.append((label, f"frame {frame.url} could not be read: {error}"))
                continue
            self.findings += [(label, f"script ran: {hit}") for hit in hits]
            self.findings += [(label, f"CSP violation: {v}") for v in violations]
        found = page.evaluate(DOM_SCAN, list(script_paths))
        self.findings += [(label, item) for item in found]

    def problems(self):
        """Return every finding, dialog, stray request and popup, one line each."""
        lines = [f"{where}: {what}" for where, what in self.findings]
        lines += [f"dialog: {dialog}" for dialog in self.dialogs]
        lines += [f"unexpected request: {url}" for url in self.requests]
        lines += [f"popup: {url}" for url in self.popups]
        return lines


def report(problems, limit=25):
    """Format problems for an assertion message."""
    shown = "\n".join(problems[:limit])
    more = f"\n... and {len(problems) - limit} more" if len(problems) > limit else ""
    return f"{len(problems)} problem(s):\n{shown}{more}"
