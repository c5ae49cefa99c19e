/* Never lose work: browser copy, server autosave, restore with a diff, expired sessions.
 *
 * Every change is kept in localStorage at once (it survives a crash or a closed tab)
 * and sent to the server's autosave copy every few seconds (it survives a lost
 * laptop); neither touches the article until Save. On opening, newer unsaved text
 * is offered with a diff. A Save with an expired session is held, the author logs
 * in again in another tab, and the save then completes (docs/authoring.md).
 */
(function () {
  "use strict";
  const desk = (window.InkstoneDesk = window.InkstoneDesk || { ready: [] });
  const DIFF_LINES = 400; // shown at most, so a huge difference cannot stall the page

  function config() {
    const element = document.getElementById("desk-config");
    return element ? JSON.parse(element.dataset.config) : null;
  }

  function storageKey(settings) {
    return "inkstone-desk:" + settings.user + ":" + (settings.articleId || "new");
  }

  function readLocal(key) {
    try {
      return JSON.parse(localStorage.getItem(key) || "null");
    } catch (error) {
      return null;
    }
  }

  /* Lines removed and added between two texts, after trimming what they share at
     both ends; a longest-common-subsequence table on what is left, when small enough. */
  function lineDiff(before, after) {
    const a = before.split("\n");
    const b = after.split("\n");
    let head = 0;
    while (head < a.length && head < b.length && a[head] === b[head]) head += 1;
    let tail = 0;
    while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail += 1;
    const x = a.slice(head, a.length - tail);
    const y = b.slice(head, b.length - tail);
    const out = [];
    if (x.length * y.length > 4000000) {
      x.forEach((line) => out.push(["-", line]));
      y.forEach((line) => out.push(["+", line]));
      return { head, out };
    }
    const table = Array.from({ length: x.length + 1 }, () => new Uint32Array(y.length + 1));
    for (let i = x.length - 1; i >= 0; i -= 1)
      for (let j = y.length - 1; j >= 0; j -= 1)
        table[i][j] = x[i] === y[j] ? table[i + 1][j + 1] + 1 : Math.max(table[i + 1][j], table[i][j + 1]);
    let i = 0;
    let j = 0;
    while (i < x.length || j < y.length) {
      if (i < x.length && j < y.length && x[i] === y[j]) {
        out.push([" ", x[i]]);
        i += 1;
        j += 1;
      } else if (j < y.length && (i === x.length || table[i][j + 1] >= table[i + 1][j])) {
        out.push(["+", y[j]]);
        j += 1;
      } else {
        out.push(["-", x[i]]);
        i += 1;
      }
    }
    return { head, out };
  }

  function showDiff(container, before, after) {
    const { head, out } = lineDiff(before, after);
    const rows = out.slice(0, DIFF_LINES).map(([mark, line]) => {
      const row = document.createElement("span");
      row.className = mark === "+" ? "desk-diff-add" : mark === "-" ? "desk-diff-del" : "desk-diff-same";
      row.textContent = mark + " " + line + "\n";
      return row;
    });
    const note = document.createElement("span");
    note.className = "desk-diff-note";
    const where = { line: head + 1, count: DIFF_LINES };
    note.textContent = (out.length > DIFF_LINES
      ? desk.text("diffFromFirst", "From line %(line)s (first %(count)s changed lines):", where)
      : desk.text("diffFrom", "From line %(line)s:", where)) + "\n";
    container.replaceChildren(note, ...rows);
  }

  function start(root, area) {
    const settings = config();
    if (!settings) return;
    const form = area.form;
    const title = form.querySelector("[name=title]");
    const key = storageKey(settings);
    let lastSent = area.value + "\u0000" + (title ? title.value : "");
    let localTimer = null;
    let sending = false;

    function snapshot() {
      return { title: title ? title.value : "", body: area.value, savedAt: new Date().toISOString(), base: settings.loadedAt };
    }

    function keepLocally() {
      try {
        localStorage.setItem(key, JSON.stringify(snapshot()));
      } catch (error) {
        desk.status(root, desk.text(
          "storageFull",
          "This browser could not keep a copy (storage full); the server autosave still runs."
        ));
      }
    }

    async function autosave() {
      const current = area.value + "\u0000" + (title ? title.value : "");
      if (!settings.autosaveUrl || sending || current === lastSent) return;
      if (area.value.length > settings.maxChars) return;
      sending = true;
      const data = new FormData();
      data.append("body", area.value);
      data.append("title", title ? title.value : "");
      try {
        const response = await fetch(settings.autosaveUrl, {
          method: "POST",
          body: data,
          headers: { "X-CSRFToken": desk.csrfToken(), Accept: "application/json" },
          credentials: "same-origin",
        });
        const json = (response.headers.get("Content-Type") || "").includes("json");
        if (response.redirected || !json || response.status === 403) {
          desk.status(root, desk.text(
            "autosaveSessionEnded",
            "Not autosaved: your session has ended. Your text is kept in this browser."
          ));
        } else if (response.ok) {
          lastSent = current;
          const answer = await response.json();
          const time = new Date(answer.savedAt).toLocaleTimeString();
          desk.status(root, desk.text("autosaved", "Autosaved %(time)s", { time }));
          root.dataset.autosavedAt = answer.savedAt;
        } else {
          desk.status(root, desk.text(
            "autosaveFailed",
            "Not autosaved (%(status)s); your text is kept in this browser.",
            { status: response.status }
          ));
        }
      } catch (error) {
        desk.status(root, desk.text(
          "offline",
          "Offline: your text is kept in this browser until the server answers."
        ));
      } finally {
        sending = false;
      }
    }

    function changed() {
      clearTimeout(localTimer);
      localTimer = setTimeout(keepLocally, 300);
    }
    area.addEventListener("input", changed);
    if (title) title.addEventListener("input", changed);
    window.addEventListener("pagehide", () => {
      if (area.value + "\u0000" + (title ? title.value : "") !== lastSent) keepLocally();
    });
    if (settings.autosaveSeconds > 0) setInterval(autosave, settings.autosaveSeconds * 1000);

    offerRestore(settings, key, area, title);
    guardSave(settings, root, form, area, keepLocally);
  }

  function offerRestore(settings, key, area, title) {
    const local = readLocal(key);
    const current = { title: title ? title.value : "", body: area.value };
    const same = (copy) => copy && copy.body === current.body && copy.title === current.title;
    if (same(local)) localStorage.removeItem(key);
    const candidates = [local, settings.serverAutosave].filter(
      (copy) => copy && !same(copy) && (!settings.loadedAt || copy.savedAt > settings.loadedAt)
    );
    if (!candidates.length) return;
    const newest = candidates.sort((one, two) => (one.savedAt < two.savedAt ? 1 : -1))[0];
    const banner = document.querySelector(".desk-restore");
    if (!banner) return;
    banner.querySelector(".desk-restore-when").textContent = new Date(newest.savedAt).toLocaleString();
    banner.querySelector(".desk-restore-where").textContent =
      newest === local
        ? desk.text("keptHere", "kept in this browser")
        : desk.text("keptOnServer", "autosaved on the server");
    showDiff(banner.querySelector(".desk-diff"), current.body, newest.body);
    banner.hidden = false;
    const finish = () => {
      banner.hidden = true;
      localStorage.removeItem(key);
      if (settings.discardUrl) {
        fetch(settings.discardUrl, {
          method: "POST",
          headers: { "X-CSRFToken": desk.csrfToken() },
          credentials: "same-origin",
        });
      }
      area.focus();
    };
    banner.querySelector(".desk-restore-apply").addEventListener("click", () => {
      if (title) title.value = newest.title || title.value;
      area.value = newest.body;
      area.dispatchEvent(new Event("input", { bubbles: true }));
      finish();
      // Keep the restored text safe until it is saved.
      localStorage.setItem(key, JSON.stringify({ ...newest, savedAt: new Date().toISOString() }));
    });
    banner.querySelector(".desk-restore-discard").addEventListener("click", finish);
  }

  async function sessionActive(settings) {
    try {
      const response = await fetch(settings.sessionUrl, { credentials: "same-origin", cache: "no-store" });
      return response.ok && (await response.json()).active;
    } catch (error) {
      return false;
    }
  }

  /* Before the form posts, make sure the session is alive: a post with an expired
     session would land on the login page and the text would be gone. */
  function guardSave(settings, root, form, area, keepLocally) {
    const dialog = document.querySelector(".desk-session-dialog");
    let confirmed = false;
    let poll = null;
    form.addEventListener("submit", async (event) => {
      if (confirmed) return;
      event.preventDefault();
      const submitter = event.submitter;
      if (area.value.length > settings.maxChars) {
        desk.status(root, desk.text(
          "tooLong",
          "Not saved: the article is %(count)s characters; the limit is %(limit)s. Your text is kept.",
          { count: area.value.length.toLocaleString(), limit: settings.maxChars.toLocaleString() }
        ));
        area.focus();
        return;
      }
      keepLocally();
      const resume = () => {
        // Logging in gives a new CSRF token; the form must carry it.
        form.querySelector("[name=csrfmiddlewaretoken]").value = desk.csrfToken();
        confirmed = true;
        if (!settings.articleId) localStorage.removeItem("inkstone-desk:" + settings.user + ":new");
        form.requestSubmit(submitter && submitter.form === form ? submitter : undefined);
      };
      if (await sessionActive(settings)) return resume();
      if (!dialog) return;
      dialog.showModal();
      const check = async () => {
        if (await sessionActive(settings)) {
          clearInterval(poll);
          window.removeEventListener("focus", check);
          dialog.close();
          resume();
        }
      };
      clearInterval(poll);
      poll = setInterval(check, 2000);
      window.addEventListener("focus", check);
    });
    if (dialog) {
      dialog.querySelector("[data-close]").addEventListener("click", () => {
        clearInterval(poll);
        dialog.close();
      });
    }
  }

  desk.lineDiff = lineDiff;
  desk.ready.push({ start });
})();
