// Progressive enhancement for rendered code (docs/markdown.md, "Code"): a copy button
// on every block, and tab groups that remember the reader's choice across the page.
// Everything works without this file; it only adds to what the server rendered.
(function () {
  "use strict";
  var TAB_KEY = "inkstone:code-tab";
  var words = null;

  // The page's words, translated by the server into the page's language: data-*
  // attributes of <template id="code-strings"> (article_detail.html), since the CSP
  // allows no inline script. The English here serves a page without it.
  function text(key, english) {
    if (words === null) {
      var element = document.getElementById("code-strings");
      words = element ? element.dataset : {};
    }
    return words[key] || english;
  }

  function codeText(pre) {
    // Line numbers are CSS counters (not text); diff signs are spans we leave out.
    var copy = pre.querySelector("code").cloneNode(true);
    copy.querySelectorAll(".diff-sign").forEach(function (sign) { sign.remove(); });
    return copy.textContent;
  }

  function addCopyButton(figure, status) {
    var pre = figure.querySelector("pre");
    if (!pre) return;
    var button = document.createElement("button");
    button.type = "button";
    button.className = "code-copy";
    button.textContent = text("copy", "Copy");
    button.setAttribute("aria-label", text("copyLabel", "Copy code to clipboard"));
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(codeText(pre)).then(
        function () {
          announce(button, status, text("copied", "Copied"),
            text("copiedMessage", "Code copied to clipboard"));
        },
        function () {
          announce(button, status, text("failed", "Copy failed"),
            text("failedMessage", "Could not copy the code"));
        }
      );
    });
    figure.appendChild(button);
    // Without a title bar the button sits on the code; content.css gives it a strip of
    // its own on touch screens. A class, not :has(), which costs every style recalc.
    if (!figure.querySelector(".code-title")) figure.classList.add("copy-on-code");
  }

  function announce(button, status, label, message) {
    button.textContent = label;
    status.textContent = "";
    // A fresh text node makes screen readers announce a repeated message too.
    window.setTimeout(function () { status.textContent = message; }, 50);
    window.setTimeout(function () { button.textContent = text("copy", "Copy"); }, 2000);
  }

  function labelOf(details) {
    var summary = details.querySelector("summary");
    return summary ? summary.textContent.trim() : "";
  }

  function chooseTab(label, except) {
    document.querySelectorAll(".code-tabs").forEach(function (group) {
      if (group === except) return;
      group.querySelectorAll(":scope > details.code-tab").forEach(function (tab) {
        if (labelOf(tab) === label && !tab.open) tab.open = true;
      });
    });
  }

  function remember(label) {
    try { window.localStorage.setItem(TAB_KEY, label); } catch (error) { /* private mode */ }
  }

  function recalled() {
    try { return window.localStorage.getItem(TAB_KEY); } catch (error) { return null; }
  }

  function setUpTabs() {
    document.querySelectorAll(".code-tabs > details.code-tab > summary").forEach(function (summary) {
      summary.addEventListener("click", function (event) {
        var details = summary.parentElement;
        if (details.open) {
          event.preventDefault(); // a tab row always shows one tab
          return;
        }
        var label = labelOf(details);
        remember(label);
        window.setTimeout(function () { chooseTab(label, details.parentElement); }, 0);
      });
    });
    var label = recalled();
    if (label) chooseTab(label, null);
  }

  function setUp() {
    var status = document.createElement("div");
    status.className = "code-copy-status";
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    document.body.appendChild(status);
    if (navigator.clipboard) {
      document.querySelectorAll("figure.code-block").forEach(function (figure) {
        addCopyButton(figure, status);
      });
    }
    setUpTabs();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
