// Small page behaviours that need no library: flash messages fade after a while.
document.addEventListener("DOMContentLoaded", () => {
  for (const el of document.querySelectorAll(".flash-success, .flash-info")) {
    setTimeout(() => el.classList.add("flash-hide"), 6000);
  }
});
