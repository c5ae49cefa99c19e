// Comments, progressively enhanced (docs/comments.md): the form posts without this
// script; with it, the form gets a fresh stamp, a live preview and in-place replies.
(function () {
  "use strict";
  const form = document.getElementById("comment-form");
  if (!form) return;
  const body = form.querySelector("textarea[name=body]");
  const parent = form.querySelector("input[name=parent]");
  const stamp = form.querySelector("input[name=stamp]");
  const preview = form.querySelector(".comment-preview");
  const previewBody = preview && preview.querySelector(".comment-body");
  const replying = form.querySelector(".comment-replying");
  const replyingName = form.querySelector(".comment-replying-name");
  const home = form.parentNode;
  const homeNext = form.nextSibling;

  // The page may come from a cache; the stamp should say when this reader opened it.
  fetch(form.dataset.stampUrl, { headers: { Accept: "application/json" } })
    .then((response) => (response.ok ? response.json() : null))
    .then((data) => {
      if (data && data.stamp) stamp.value = data.stamp;
    })
    .catch(() => {});

  let timer = null;
  let sent = "";
  function showPreview() {
    const text = body.value;
    if (text === sent) return;
    sent = text;
    if (!text.trim()) {
      preview.hidden = true;
      return;
    }
    const data = new FormData();
    data.append("body", text);
    fetch(form.dataset.previewUrl, { method: "POST", body: data })
      .then((response) => response.json())
      .then((result) => {
        if (text !== sent) return; // A newer request is on its way.
        // Sanitized by the server with the same allowlist as published comments.
        previewBody.innerHTML = result.html || "";
        preview.hidden = !result.html;
      })
      .catch(() => {});
  }
  if (body && preview) {
    body.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(showPreview, 300);
    });
    const button = form.querySelector(".comment-preview-button");
    if (button) button.hidden = true; // Live preview replaces the button.
  }

  function replyTo(link) {
    parent.value = link.dataset.reply;
    replyingName.textContent = link.dataset.name;
    replying.hidden = false;
    link.closest(".comment").after(form);
    body.focus();
  }
  function cancelReply() {
    parent.value = "";
    replying.hidden = true;
    home.insertBefore(form, homeNext);
  }
  document.querySelectorAll(".comment-reply[data-reply]").forEach((link) => {
    link.addEventListener("click", (event) => {
      event.preventDefault();
      replyTo(link);
    });
  });
  const cancel = form.querySelector(".comment-cancel-reply");
  if (cancel) {
    cancel.addEventListener("click", (event) => {
      event.preventDefault();
      cancelReply();
    });
  }
})();
