export function greet(el) {
  const p = document.createElement("p");
  p.textContent = "greet.mjs ran";
  el.appendChild(p);
}
