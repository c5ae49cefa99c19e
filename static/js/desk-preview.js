/* The editor's live preview: the published rendering, the home-page card, problems,
 * counts, synchronised scrolling, and the Write/Preview switch on narrow screens.
 *
 * The server renders with the function Article.save() uses (articles/admin/desk.py),
 * so the preview is the page readers get. Requests are debounced and the newest
 * answer wins; a slow answer for old text is dropped.
 */
(function () {
  "use strict";
  const desk = (window.InkstoneDesk = window.InkstoneDesk || { ready: [] });
  const PAUSE_MS = 150;

  function field(name) {
    const element = document.querySelector("[name=" + name + "]");
    return element ? element.value : "";
  }

  /* Where each source line starts, in pixels inside the textarea: a hidden copy of
     the textarea, styled the same, with a marker at the start of every block. */
  function measureSource(area, mirror, blocks) {
    const style = getComputedStyle(area);
    for (const name of ["fontFamily", "fontSize", "lineHeight", "letterSpacing", "tabSize",
      "paddingTop", "paddingLeft", "paddingRight", "borderLeftWidth", "borderRightWidth", "boxSizing"]) {
      mirror.style[name] = style[name];
    }
    mirror.style.width = area.clientWidth + "px";
    const lines = area.value.split("\n");
    const fragment = document.createDocumentFragment();
    let line = 0;
    const markers = [];
    for (const start of blocks) {
      if (start > line) fragment.append(lines.slice(line, start).join("\n") + "\n");
      const marker = document.createElement("span");
      markers.push(marker);
      fragment.append(marker);
      line = start;
    }
    fragment.append(lines.slice(line).join("\n"));
    mirror.replaceChildren(fragment);
    const positions = markers.map((marker) => marker.offsetTop);
    mirror.replaceChildren();
    return positions;
  }

  function lineAt(area, offset) {
    return area.value.slice(0, offset).split("\n").length - 1;
  }

  function start(root, area) {
    const preview = root.querySelector(".markdownx-preview");
    const pane = root.querySelector(".desk-preview-pane");
    const mirror = document.createElement("div");
    mirror.className = "desk-mirror";
    mirror.setAttribute("aria-hidden", "true");
    root.append(mirror);
    const url = area.dataset.markdownxUrlsPath;
    let timer = null;
    let sequence = 0;
    let shown = 0;
    let controller = null;
    let blocks = [];
    let sourceY = [];
    let syncing = false;

    function targets() {
      return Array.from(preview.children);
    }

    function remeasure() {
      sourceY = blocks.length ? measureSource(area, mirror, blocks) : [];
    }

    /* Put the preview where the source is: the block at sourceTop in the textarea
       lines up with its rendering, proportionally inside the block. The top of both
       panes and the end of both are anchors too, so the card and the last lines show. */
    function anchors() {
      const elements = targets();
      const count = Math.min(elements.length, sourceY.length);
      const base = pane.getBoundingClientRect().top - pane.scrollTop;
      const source = [0];
      const shown = [0];
      for (let index = 0; index < count; index += 1) {
        source.push(sourceY[index]);
        shown.push(elements[index].getBoundingClientRect().top - base);
      }
      source.push(Math.max(area.scrollHeight - area.clientHeight, source[source.length - 1]));
      shown.push(Math.max(pane.scrollHeight - pane.clientHeight, shown[shown.length - 1]));
      return [source, shown];
    }

    function follow(sourceTop, anchorOffset) {
      const [source, shown] = anchors();
      let index = 0;
      while (index + 2 < source.length && source[index + 1] <= sourceTop) index += 1;
      const from = source[index];
      const to = source[index + 1];
      const fraction = to > from ? Math.min(1, Math.max(0, (sourceTop - from) / (to - from))) : 0;
      syncing = true;
      pane.scrollTop = shown[index] + fraction * (shown[index + 1] - shown[index]) - anchorOffset;
      requestAnimationFrame(() => (syncing = false));
    }

    function followScroll() {
      if (!syncing) follow(area.scrollTop, 0);
    }

    function followCaret() {
      // The paragraph being edited sits at the same height in both panes.
      const line = lineAt(area, area.selectionStart);
      let index = 0;
      while (index + 1 < blocks.length && blocks[index + 1] <= line) index += 1;
      if (!sourceY.length) return;
      const y = sourceY[Math.min(index, sourceY.length - 1)];
      follow(y, y - area.scrollTop);
    }

    function showProblems(problems) {
      const list = root.querySelector(".desk-problems ul");
      const toggle = root.querySelector(".desk-problems-toggle");
      list.replaceChildren(
        ...problems.map((problem) => {
          const item = document.createElement("li");
          const jump = document.createElement("button");
          jump.type = "button";
          jump.className = "desk-problem desk-problem-" + problem.kind;
          jump.textContent = desk.text("problemLine", "Line %(line)s: %(message)s", problem);
          jump.addEventListener("click", () => goToLine(problem.line));
          item.append(jump);
          return item;
        })
      );
      // English's two forms; the template renders both for the page's language.
      const count = { count: problems.length };
      toggle.textContent = !problems.length
        ? desk.text("noProblems", "No problems")
        : problems.length === 1
          ? desk.text("problemsOne", "%(count)s problem", count)
          : desk.text("problems", "%(count)s problems", count);
      toggle.classList.toggle("desk-has-problems", problems.length > 0);
    }

    function goToLine(number) {
      const lines = area.value.split("\n");
      const offset = lines.slice(0, number - 1).reduce((sum, line) => sum + line.length + 1, 0);
      area.focus();
      area.setSelectionRange(offset, offset + (lines[number - 1] || "").length);
      remeasure();
      let index = 0;
      while (index + 1 < blocks.length && blocks[index + 1] <= number - 1) index += 1;
      if (sourceY.length) area.scrollTop = Math.max(0, sourceY[Math.min(index, sourceY.length - 1)] - 40);
    }

    function showCard(card) {
      root.querySelector(".desk-card-title").textContent = card.title;
      root.querySelector(".desk-card-preview").textContent = card.preview;
      root.querySelector(".desk-card-meta").textContent = card.meta;
    }

    async function refresh() {
      const text = area.value;
      const mine = ++sequence;
      if (text.length > desk.maxChars(root)) {
        root.querySelector(".desk-count").textContent = desk.text(
          "overLimit",
          "%(count)s characters: over the limit of %(limit)s",
          { count: text.length.toLocaleString(), limit: desk.maxChars(root).toLocaleString() }
        );
        return;
      }
      if (controller) controller.abort();
      controller = new AbortController();
      const data = new FormData();
      data.append("content", text);
      data.append("format", "desk");
      data.append("title", field("title"));
      data.append("summary", field("summary"));
      data.append("language", field("language"));
      let answer;
      try {
        const response = await fetch(url, {
          method: "POST",
          body: data,
          headers: { "X-CSRFToken": desk.csrfToken(), Accept: "application/json" },
          credentials: "same-origin",
          signal: controller.signal,
        });
        if (response.redirected || !(response.headers.get("Content-Type") || "").includes("json")) {
          desk.status(root, desk.text(
            "previewPaused",
            "Preview paused: your session has ended. Your text is kept in this browser."
          ));
          return;
        }
        answer = await response.json();
        if (!response.ok) {
          desk.status(root, answer.error ||
            desk.text("previewFailed", "The preview failed (%(status)s).", { status: response.status }));
          return;
        }
      } catch (error) {
        if (error.name !== "AbortError") {
          desk.status(root, desk.text("previewUnavailable", "Preview unavailable: the server did not answer."));
        }
        return;
      }
      if (mine < shown) return;
      shown = mine;
      preview.innerHTML = answer.html; // Sanitized on the server by the site's renderer.
      preview.lang = field("language") || document.documentElement.lang;
      blocks = answer.blocks;
      showProblems(answer.problems);
      showCard(answer.card);
      root.querySelector(".desk-count").textContent = answer.card.meta;
      remeasure();
      if (document.activeElement === area) followCaret();
      else followScroll();
      root.dataset.previewSequence = String(mine);
      root.dispatchEvent(new CustomEvent("desk:preview", { detail: { sequence: mine } }));
    }

    function schedule() {
      clearTimeout(timer);
      timer = setTimeout(refresh, PAUSE_MS);
    }

    area.addEventListener("input", schedule);
    for (const name of ["title", "summary", "language"]) {
      const element = document.querySelector("[name=" + name + "]");
      if (element) element.addEventListener("input", schedule);
    }
    area.addEventListener("scroll", followScroll, { passive: true });
    area.addEventListener("click", followCaret);
    area.addEventListener("keyup", (event) => {
      if (event.key.startsWith("Arrow") || event.key.startsWith("Page")) followCaret();
    });
    window.addEventListener("resize", () => {
      remeasure();
      followScroll();
    });

    root.querySelector(".desk-problems-toggle").addEventListener("click", (event) => {
      const panel = root.querySelector(".desk-problems");
      panel.hidden = !panel.hidden;
      event.currentTarget.setAttribute("aria-expanded", String(!panel.hidden));
    });
    root.querySelectorAll(".desk-tab").forEach((tab) =>
      tab.addEventListener("click", () => {
        root.dataset.view = tab.dataset.view;
        root.querySelectorAll(".desk-tab").forEach((other) =>
          other.setAttribute("aria-pressed", String(other === tab))
        );
      })
    );
    root.dataset.view = "write";
    desk.refreshPreview = refresh;
    refresh();
  }

  desk.maxChars = (root) => parseInt(root.dataset.maxChars, 10);
  desk.ready.push({ start });
})();
