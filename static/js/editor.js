/* The article editor: Markdown-aware editing of the body textarea (docs/authoring.md).
 *
 * Toolbar and shortcuts, tab indents in lists and code, auto-pairing, and image
 * paste/drop with alt text. The preview lives in desk-preview.js, saving in
 * desk-save.js; they meet on window.InkstoneDesk. Plain JavaScript, no inline
 * script or style, so the admin's strict CSP holds.
 */
(function () {
  "use strict";
  const desk = (window.InkstoneDesk = window.InkstoneDesk || { ready: [] });

  const PAIRS = { "(": ")", "[": "]", "{": "}", $: "$" };
  const CLOSERS = new Set([")", "]", "}", "$"]);
  const LIST_ITEM = /^(\s*)([-*+]|\d+[.)])(\s+)(\[[ xX]\]\s+)?/;
  const FENCE_LINE = /^ {0,3}(`{3,}|~{3,})/;
  const SHORTCUTS = {
    b: "bold", i: "italic", k: "link", e: "code", m: "math", h: "heading",
    "shift+m": "displaymath", "shift+l": "list", "shift+q": "quote",
    "shift+t": "table", "shift+i": "image", "shift+f": "fullscreen", s: "save",
  };

  function csrfToken() {
    const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    const field = document.querySelector("input[name=csrfmiddlewaretoken]");
    return match ? decodeURIComponent(match[1]) : field ? field.value : "";
  }
  desk.csrfToken = csrfToken;

  /* The desk's words in the editor's language: data-* attributes of
     <template id="desk-strings"> (desk_widget.html), translated by the server, since the
     CSP allows no inline script. Each call carries its English for a page without it;
     values fill the %(name)s placeholders, which translations may reorder. */
  let words = null;
  desk.text = function (key, english, values) {
    if (words === null) {
      const element = document.getElementById("desk-strings");
      words = element ? { ...element.dataset } : {};
    }
    return (words[key] || english).replace(/%\((\w+)\)s/g, (match, name) =>
      values && name in values ? String(values[name]) : match
    );
  };

  /* Replace the selection with text through the browser's editing command, which
     keeps undo (Ctrl+Z) working; then select [selectFrom, selectTo) of the new text. */
  function insert(area, text, selectFrom, selectTo) {
    const start = area.selectionStart;
    area.focus();
    // An empty insertText is a no-op in Chromium; deleting the selection is what is meant.
    const done = text ? document.execCommand("insertText", false, text) : area.selectionStart === area.selectionEnd || document.execCommand("delete");
    if (!done) {
      area.setRangeText(text, start, area.selectionEnd, "end");
      area.dispatchEvent(new Event("input", { bubbles: true }));
    }
    if (selectFrom !== undefined) {
      area.setSelectionRange(start + selectFrom, start + (selectTo === undefined ? selectFrom : selectTo));
    }
  }

  function selected(area) {
    return area.value.slice(area.selectionStart, area.selectionEnd);
  }

  function wrap(area, before, after, placeholder) {
    const text = selected(area) || placeholder;
    insert(area, before + text + after, before.length, before.length + text.length);
  }

  function lineBounds(area) {
    const value = area.value;
    const start = value.lastIndexOf("\n", area.selectionStart - 1) + 1;
    let end = value.indexOf("\n", Math.max(area.selectionEnd - (area.selectionEnd > area.selectionStart ? 1 : 0), area.selectionStart));
    if (end < 0) end = value.length;
    return [start, end];
  }

  /* Apply change(line) to every line the selection touches. */
  function editLines(area, change) {
    const [start, end] = lineBounds(area);
    area.setSelectionRange(start, end);
    const lines = area.value.slice(start, end).split("\n").map(change);
    const text = lines.join("\n");
    insert(area, text, text.length);
  }

  function block(area, text, caret) {
    // A block needs blank lines around it to be a block.
    const before = area.value.slice(0, area.selectionStart);
    const lead = before === "" || before.endsWith("\n\n") ? "" : before.endsWith("\n") ? "\n" : "\n\n";
    insert(area, lead + text + "\n", lead.length + caret[0], lead.length + caret[1]);
  }

  const ACTIONS = {
    bold: (area) => wrap(area, "**", "**", desk.text("boldText", "bold text")),
    italic: (area) => wrap(area, "*", "*", desk.text("italicText", "italic text")),
    code: (area) => {
      const text = selected(area);
      if (text.includes("\n")) block(area, "```\n" + text + "\n```", [4, 4 + text.length]);
      else wrap(area, "`", "`", desk.text("codeText", "code"));
    },
    math: (area) => wrap(area, "$", "$", "x^2"),
    displaymath: (area) => {
      const text = selected(area) || "\\sum_{i=1}^{n} x_i";
      block(area, "$$\n" + text + "\n$$", [3, 3 + text.length]);
    },
    link: (area) => {
      const text = selected(area) || desk.text("linkText", "link text");
      const url = "https://";
      insert(area, "[" + text + "](" + url + ")", text.length + 3, text.length + 3 + url.length);
    },
    heading: (area) =>
      editLines(area, (line) => {
        const level = (line.match(/^#{1,6}(?=\s)/) || [""])[0].length;
        const bare = line.replace(/^#{1,6}\s+/, "");
        return level >= 4 ? bare : "#".repeat(Math.max(2, level + 1)) + " " + bare;
      }),
    list: (area) =>
      editLines(area, (line) => (LIST_ITEM.test(line) ? line.replace(LIST_ITEM, "$1") : "- " + line)),
    quote: (area) => editLines(area, (line) => (line.startsWith("> ") ? line.slice(2) : "> " + line)),
    table: (area) => {
      const column = desk.text("tableColumn", "Column");
      const cell = desk.text("tableCell", "Cell");
      const rows = ["| " + column + " | " + column + " |", "| --- | --- |", "| " + cell + " | " + cell + " |"];
      block(area, rows.join("\n"), [2, 2 + column.length]);
    },
    image: (area, root) => root.querySelector(".desk-file").click(),
    fullscreen: (area, root) => desk.toggleFullscreen(root),
    // Save and keep editing, as in every editor; the save guard in desk-save.js applies.
    save: (area) => {
      const button = area.form.querySelector("input[name=_continue]");
      if (button) area.form.requestSubmit(button);
    },
  };
  desk.actions = ACTIONS;

  function inCodeFence(value, position) {
    let open = false;
    for (const line of value.slice(0, position).split("\n").slice(0, -1)) {
      if (FENCE_LINE.test(line)) open = !open;
    }
    return open;
  }

  function currentLine(area) {
    const start = area.value.lastIndexOf("\n", area.selectionStart - 1) + 1;
    return area.value.slice(start, area.selectionStart);
  }

  /* Tab indents list items and code (Shift+Tab outdents); elsewhere Tab leaves
     the field as usual, so keyboard users are never trapped in it. */
  function handleTab(area, event) {
    const line = area.value.slice(lineBounds(area)[0]).split("\n")[0];
    if (!LIST_ITEM.test(line) && !inCodeFence(area.value, area.selectionStart)) return false;
    event.preventDefault();
    if (event.shiftKey) editLines(area, (text) => text.replace(/^( {1,4}|\t)/, ""));
    else if (area.selectionStart === area.selectionEnd && !LIST_ITEM.test(line)) insert(area, "    ");
    else editLines(area, (text) => "    " + text);
    return true;
  }

  function handleEnter(area, event) {
    const line = currentLine(area);
    const fence = line.match(/^ {0,3}(`{3,}|~{3,})[\w+-]*\s*$/);
    if (fence && !inCodeFence(area.value, area.selectionStart) && area.selectionStart === area.selectionEnd) {
      const rest = area.value.slice(area.selectionStart);
      const closed = rest.split("\n").slice(1).some((next) => next.trim().startsWith(fence[1]));
      if (!closed) {
        event.preventDefault();
        insert(area, "\n\n" + fence[1], 1);
        return;
      }
    }
    const item = line.match(LIST_ITEM);
    if (!item || inCodeFence(area.value, area.selectionStart)) return;
    event.preventDefault();
    if (line.trim() === item[0].trim()) {
      // Enter on an empty item ends the list.
      area.setSelectionRange(area.selectionStart - line.length, area.selectionStart);
      insert(area, "");
      return;
    }
    const marker = /\d/.test(item[2]) ? parseInt(item[2], 10) + 1 + item[2].slice(-1) : item[2];
    insert(area, "\n" + item[1] + marker + item[3] + (item[4] ? "[ ] " : ""));
  }

  function handlePairs(area, event) {
    const next = area.value.charAt(area.selectionEnd);
    const key = event.key;
    const empty = area.selectionStart === area.selectionEnd;
    if (CLOSERS.has(key) && empty && next === key) {
      event.preventDefault(); // Type over the closer auto-pairing put there.
      area.setSelectionRange(area.selectionEnd + 1, area.selectionEnd + 1);
      return;
    }
    // Brackets pair everywhere; a dollar in code is just a dollar.
    if (key in PAIRS && !(key === "$" && inCodeFence(area.value, area.selectionStart))) {
      if (!empty) {
        event.preventDefault();
        wrap(area, key, PAIRS[key], "");
      } else if (next === "" || /[\s)\]},.;:!?，。；：！？]/.test(next)) {
        const previous = area.value.charAt(area.selectionStart - 1);
        if (key === "$" && /[\w\d]/.test(previous)) return; // "US$5" is money, not math.
        event.preventDefault();
        insert(area, key + PAIRS[key], 1);
      }
    }
  }

  function handleBackspace(area, event) {
    const start = area.selectionStart;
    if (start !== area.selectionEnd || start === 0) return;
    const pair = area.value.slice(start - 1, start + 1);
    if (pair.length === 2 && PAIRS[pair[0]] === pair[1]) {
      event.preventDefault();
      area.setSelectionRange(start - 1, start + 1);
      insert(area, "");
    }
  }

  function onKeyDown(area, root, event) {
    if (event.isComposing) return; // Never interfere with a Chinese input method.
    const primary = event.ctrlKey || event.metaKey;
    if (primary && !event.altKey) {
      const name = (event.shiftKey ? "shift+" : "") + event.key.toLowerCase();
      if (SHORTCUTS[name]) {
        event.preventDefault();
        ACTIONS[SHORTCUTS[name]](area, root);
      }
      return;
    }
    if (event.key === "Tab") handleTab(area, event);
    else if (event.key === "Enter" && !event.shiftKey) handleEnter(area, event);
    else if (event.key === "Backspace") handleBackspace(area, event);
    else if (event.key === "Escape" && root.classList.contains("desk-fullscreen")) desk.toggleFullscreen(root);
    else if (event.key.length === 1 && !event.altKey) handlePairs(area, event);
  }

  /* The toolbar is one tab stop; arrow keys move between its buttons (the ARIA toolbar pattern). */
  function toolbarKeys(toolbar, event) {
    const buttons = Array.from(toolbar.querySelectorAll("button"));
    const index = buttons.indexOf(document.activeElement);
    const moves = { ArrowRight: 1, ArrowLeft: -1, Home: -index, End: buttons.length - 1 - index };
    if (index < 0 || !(event.key in moves)) return;
    event.preventDefault();
    const target = buttons[(index + moves[event.key] + buttons.length) % buttons.length];
    buttons.forEach((button) => (button.tabIndex = button === target ? 0 : -1));
    target.focus();
  }

  desk.toggleFullscreen = function (root) {
    const on = root.classList.toggle("desk-fullscreen");
    document.documentElement.classList.toggle("desk-fullscreen-page", on);
    root.querySelector("[data-action=fullscreen]").setAttribute("aria-pressed", String(on));
    root.querySelector("textarea").focus();
    desk.ready.forEach((hook) => hook.resize && hook.resize());
  };

  /* Images: upload, ask for alt text (prefilled from the file name), insert at the cursor. */
  function altFromName(name) {
    const stem = name.replace(/\.[^.]+$/, "").replace(/[-_]+/g, " ").trim();
    return /^(image|img|screenshot|pasted|\d+|[0-9a-f]{8,})( .*)?$/i.test(stem) ? "" : stem;
  }

  function askAlt(root, suggestion) {
    const dialog = root.querySelector(".desk-alt-dialog");
    const input = dialog.querySelector("input");
    input.value = suggestion;
    return new Promise((resolve) => {
      const done = (value) => {
        dialog.close();
        dialog.removeEventListener("cancel", onCancel);
        buttons.forEach((button) => button.removeEventListener("click", onClick));
        input.removeEventListener("keydown", onEnter);
        resolve(value);
      };
      const onCancel = (event) => {
        event.preventDefault();
        done(null);
      };
      const onClick = (event) => done(event.currentTarget.dataset.close === "ok" ? input.value.trim() : null);
      const onEnter = (event) => {
        if (event.key === "Enter") {
          event.preventDefault();
          done(input.value.trim());
        }
      };
      const buttons = Array.from(dialog.querySelectorAll("[data-close]"));
      buttons.forEach((button) => button.addEventListener("click", onClick));
      dialog.addEventListener("cancel", onCancel);
      input.addEventListener("keydown", onEnter);
      dialog.showModal();
      input.select();
    });
  }

  async function uploadImage(area, root, file) {
    const uploadUrl = area.dataset.markdownxUploadUrlsPath;
    const caret = [area.selectionStart, area.selectionEnd];
    const alt = await askAlt(root, altFromName(file.name || ""));
    area.focus();
    area.setSelectionRange(caret[0], caret[1]);
    if (alt === null) return;
    const data = new FormData();
    data.append("image", file);
    desk.status(root, file.name
      ? desk.text("uploading", "Uploading %(name)s…", { name: file.name })
      : desk.text("uploadingImage", "Uploading the image…"));
    const response = await fetch(uploadUrl, {
      method: "POST",
      body: data,
      headers: { "X-CSRFToken": csrfToken() },
      credentials: "same-origin",
    });
    const answer = await response.json().catch(() => ({}));
    if (!response.ok || !answer.image_code) {
      const reason = answer.image
        ? answer.image.join(" ")
        : desk.text("uploadFailed", "the upload failed (%(status)s)", { status: response.status });
      desk.status(root, desk.text("imageNotAdded", "Image not added: %(reason)s", { reason }));
      return;
    }
    const url = answer.image_code.match(/\]\((.*)\)$/)[1];
    const safeAlt = alt.replace(/[[\]\\]/g, "\\$&");
    area.setSelectionRange(caret[0], caret[1]);
    insert(area, "![" + safeAlt + "](" + url + ")");
    desk.status(root, desk.text("imageAdded", "Image added."));
  }

  function imageFiles(transfer) {
    return transfer ? Array.from(transfer.files || []).filter((file) => file.type.startsWith("image/")) : [];
  }

  desk.status = function (root, message) {
    root.querySelector(".desk-save-state").textContent = message;
  };

  function setUp(root) {
    const area = root.querySelector("textarea");
    const toolbar = root.querySelector(".desk-toolbar");
    area.setAttribute("spellcheck", "true");
    area.addEventListener("keydown", (event) => onKeyDown(area, root, event));
    toolbar.addEventListener("keydown", (event) => toolbarKeys(toolbar, event));
    root.querySelectorAll("[data-action]").forEach((button) =>
      button.addEventListener("click", () => {
        ACTIONS[button.dataset.action](area, root);
      })
    );
    area.addEventListener("paste", (event) => {
      const files = imageFiles(event.clipboardData);
      if (!files.length) return;
      event.preventDefault();
      files.reduce((chain, file) => chain.then(() => uploadImage(area, root, file)), Promise.resolve());
    });
    area.addEventListener("dragover", (event) => event.preventDefault());
    area.addEventListener("drop", (event) => {
      const files = imageFiles(event.dataTransfer);
      if (!files.length) return;
      event.preventDefault();
      files.reduce((chain, file) => chain.then(() => uploadImage(area, root, file)), Promise.resolve());
    });
    const picker = root.querySelector(".desk-file");
    picker.addEventListener("change", () => {
      const files = Array.from(picker.files);
      picker.value = "";
      files.reduce((chain, file) => chain.then(() => uploadImage(area, root, file)), Promise.resolve());
    });
    desk.ready.forEach((hook) => hook.start(root, area));
  }

  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll("[data-desk]").forEach(setUp);
  });
})();
