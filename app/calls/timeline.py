"""The acoustic timeline of a call as an inline SVG: who spoke when, holds and overtalk."""

from __future__ import annotations

from typing import Any

from markupsafe import Markup, escape

WIDTH, LANE, TOP = 1000.0, 22.0, 18.0
COLOURS = {"operator": "#ef7d57", "subscriber": "#3a86ff"}
LABELS = {"operator": "Оператор", "subscriber": "Абонент"}


def _x(t: float, duration: float) -> float:
    return round(WIDTH * t / duration, 2) if duration else 0.0


def render_timeline(segments: list[dict[str, Any]], metrics: dict[str, Any], duration: float) -> Markup:
    if not duration:
        return Markup("")
    parts = [f'<svg class="timeline" viewBox="-90 0 {WIDTH + 100} {TOP + 2 * LANE + 40}" '
             f'role="img" aria-label="Временная шкала разговора">']
    for lane, speaker in enumerate(("operator", "subscriber")):
        y = TOP + lane * LANE
        parts.append(f'<text x="-8" y="{y + 15}" text-anchor="end" class="tl-label">'
                     f"{LABELS[speaker]}</text>")
        parts.append(f'<rect x="0" y="{y + 3}" width="{WIDTH}" height="{LANE - 6}" class="tl-lane"/>')
        for seg in segments:
            if seg["speaker"] != speaker:
                continue
            x0, x1 = _x(seg["start"], duration), _x(seg["end"], duration)
            parts.append(
                f'<rect x="{x0}" y="{y + 3}" width="{max(x1 - x0, 1.5)}" height="{LANE - 6}" rx="3" '
                f'fill="{COLOURS[speaker]}" data-start="{seg["start"]}"><title>{seg["start"]:.1f}–'
                f'{seg["end"]:.1f} с: {escape(seg.get("text", ""))[:120]}</title></rect>'
            )
    bottom = TOP + 2 * LANE
    for hold in metrics.get("holds", []):
        x0, x1 = _x(hold["start"], duration), _x(hold["end"], duration)
        parts.append(f'<rect x="{x0}" y="{TOP}" width="{x1 - x0}" height="{2 * LANE}" class="tl-hold">'
                     f'<title>Удержание {hold["duration"]:.0f} с</title></rect>')
    for over in metrics.get("overtalk", []):
        x0, x1 = _x(over["start"], duration), _x(over["end"], duration)
        who = "оператор перебил абонента" if over.get("by") == "operator" else "абонент перебил оператора"
        parts.append(f'<rect x="{x0}" y="{TOP - 6}" width="{max(x1 - x0, 2)}" height="{2 * LANE + 12}" '
                     f'class="tl-overtalk"><title>Перебивание: {who}, '
                     f'{over["duration"]:.1f} с</title></rect>')
    step = 10 if duration <= 120 else 30 if duration <= 600 else 60
    t = 0
    while t <= duration:
        x = _x(t, duration)
        parts.append(f'<line x1="{x}" x2="{x}" y1="{bottom}" y2="{bottom + 5}" class="tl-tick"/>'
                     f'<text x="{x}" y="{bottom + 18}" text-anchor="middle" class="tl-time">'
                     f"{int(t // 60)}:{int(t % 60):02d}</text>")
        t += step
    parts.append("</svg>")
    return Markup("".join(parts))
