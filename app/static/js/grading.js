// Grading page: keyboard shortcuts. 1/2/3 choose a verdict on the focused criterion,
// J/K move between criteria, T puts the player's current time into the criterion.
document.addEventListener("DOMContentLoaded", () => {
  const player = document.getElementById("player");
  const forms = () => Array.from(document.querySelectorAll("form.criterion"));
  let index = 0;
  const focus = (i) => {
    const list = forms();
    if (!list.length) return;
    index = Math.max(0, Math.min(list.length - 1, i));
    list[index].focus();
    list[index].scrollIntoView({ block: "nearest" });
  };
  document.addEventListener("focusin", (e) => {
    const form = e.target.closest("form.criterion");
    if (form) index = forms().indexOf(form);
  });
  document.addEventListener("keydown", (e) => {
    if (e.target.matches("input[type=text], input[type=number], textarea")) return;
    const form = forms()[index];
    if (!form) return;
    const value = { "1": "met", "2": "violated", "3": "na" }[e.key];
    if (value) {
      const radio = form.querySelector(`input[value=${value}]`);
      radio.checked = true;
      radio.dispatchEvent(new Event("change", { bubbles: true }));
    } else if (e.key === "j" || e.key === "о") {
      focus(index + 1);
    } else if (e.key === "k" || e.key === "л") {
      focus(index - 1);
    } else if ((e.key === "t" || e.key === "е") && player) {
      const at = form.querySelector("input[name=at_seconds]");
      at.value = player.currentTime.toFixed(1);
      at.dispatchEvent(new Event("change", { bubbles: true }));  // saved like a typed value
    } else {
      return;
    }
    e.preventDefault();
  });
  document.body.addEventListener("htmx:afterSwap", () => focus(index));
});
