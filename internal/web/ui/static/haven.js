// Haven UI: optional niceties; every page works without this file.
"use strict";
// Ask before a destructive form is sent (withdraw, disable, revoke).
document.addEventListener("submit", (ev) => {
  const msg = ev.target.getAttribute("data-confirm");
  if (msg && !window.confirm(msg)) ev.preventDefault();
});
// Select a one-time secret when it gets focus, for copying.
document.querySelectorAll("code.once").forEach((c) => {
  c.tabIndex = 0;
  c.addEventListener("focus", () => window.getSelection().selectAllChildren(c));
});
