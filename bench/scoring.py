"""Accuracy and throughput of the scoring pipeline on the labelled sample calls.

    python bench/scoring.py [EVAL_DIR] [--from-manifest] [--repeat N]

EVAL_DIR defaults to ../shared/eval relative to the repository root. By default the audio
goes through ``speech.analyse`` (when the speech package is importable); with
``--from-manifest`` (or without speech) the call objects are built from the manifest
timelines: the scripted text and times, words spread evenly over each turn, no metrics
(holds and overtalk then come from segment times). Prints agreement with the labels per
standard and overall, then how many calls per second scoring alone handles on one core.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from scoring import Context, default_scorecard, evaluate  # noqa: E402

SPEAKER = {"op": "operator", "sub": "subscriber"}
COMPANY = "мтСЕТЬ"
CARRIERS = {"mts": "МТС", "megafon": "МегаФон", "beeline": "Билайн"}
# a domain prompt for the recogniser: vocabulary, not the sample's sentences
PROMPT = ("Разговор оператора контакт-центра компании мтСЕТЬ с абонентом: тариф, номер "
          "договора, кодовое слово, подключить услугу, заявка, возврат.")


def prompt_for(item: dict[str, Any], kind: str) -> str | None:
    """The recogniser's prompt: ``app`` builds it as the app does for an ingested call
    (company, operator's first name, carrier), ``vocab`` is a fixed domain sentence."""
    if kind == "none":
        return None
    if kind == "vocab":
        return PROMPT
    import speech

    carrier = CARRIERS.get(item.get("carrier") or "")
    return speech.build_prompt(COMPANY, item.get("operator"), [carrier] if carrier else [])


def call_from_timeline(entry: dict[str, Any]) -> dict[str, Any]:
    """A call object from a manifest entry: text and times, words spread evenly."""
    segments = []
    for turn in entry["timeline"]:
        words = turn["text"].split()
        span = (turn["end"] - turn["start"]) / max(len(words), 1)
        segments.append({
            "speaker": SPEAKER[turn["speaker"]], "start": turn["start"], "end": turn["end"],
            "text": turn["text"],
            "words": [{"w": w, "start": round(turn["start"] + i * span, 2),
                       "end": round(turn["start"] + (i + 1) * span, 2), "p": 1.0}
                      for i, w in enumerate(words)],
        })
    return {"duration": entry["seconds"], "channels": 2, "diarization": "channels",
            "segments": segments}


def call_from_audio(path: Path, model_cache: str | None = None,
                    prompt: str | None = PROMPT) -> dict[str, Any]:
    import speech  # optional and heavy: only the default mode needs it

    options = {"model_cache": model_cache} if model_cache else {}
    return speech.analyse(str(path), operator_channel="left", prompt=prompt,
                          **options).to_dict()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("eval_dir", nargs="?", default=str(ROOT.parent / "shared" / "eval"))
    parser.add_argument("--from-manifest", action="store_true",
                        help="build calls from manifest timelines instead of running ASR")
    parser.add_argument("--repeat", type=int, default=200,
                        help="passes over the sample for the throughput figure")
    parser.add_argument("--calls", help="read call objects {id: call} from this JSON file "
                        "(e.g. an earlier --dump) instead of transcribing")
    parser.add_argument("--dump", help="write the call objects used to this JSON file")
    parser.add_argument("--prompt", choices=("app", "vocab", "none"), default="none",
                        help="recogniser prompt: none (default, as the app with "
                        "ULYBKA_ASR_PROMPT=off), as the app builds it with the setting on, "
                        "or a fixed vocabulary sentence")
    default_cache = Path(__file__).resolve().parents[1] / "instance" / "models"
    parser.add_argument("--model-cache", default=str(default_cache),
                        help="where the default Whisper model is assembled (default: instance/models)")
    args = parser.parse_args(argv)

    base = Path(args.eval_dir)
    labels = json.loads((base / "calls.json").read_text(encoding="utf-8"))["calls"]
    manifest = {m["id"]: m for m in json.loads(
        (base / "audio" / "manifest.json").read_text(encoding="utf-8"))}
    mode = "manifest"
    if args.calls:
        mode = "file"
    elif not args.from_manifest:
        try:
            import speech

            if not hasattr(speech, "analyse"):
                raise ImportError("speech.analyse is missing")
            mode = "speech"
        except ImportError as exc:
            print(f"speech not usable ({exc}): falling back to --from-manifest")
    loaded = json.loads(Path(args.calls).read_text(encoding="utf-8")) if args.calls else {}
    card = default_scorecard()
    calls: dict[str, dict[str, Any]] = {}
    t0 = time.perf_counter()
    for item in labels:
        entry = manifest[item["id"]]
        if mode == "file":
            calls[item["id"]] = loaded[item["id"]]
        elif mode == "speech":
            calls[item["id"]] = call_from_audio(base / "audio" / entry["file"], args.model_cache,
                                                prompt_for(item, args.prompt))
        else:
            calls[item["id"]] = call_from_timeline(entry)
    prep = time.perf_counter() - t0
    if args.dump:
        Path(args.dump).write_text(json.dumps(calls, ensure_ascii=False, indent=1),
                                   encoding="utf-8")

    agree: dict[str, list[bool]] = {k: [] for k in card.keys}
    print(f"mode: {mode}  ({len(calls)} calls, transcripts in {prep:.1f} s"
          + (f", prompt: {args.prompt})" if mode == "speech" else ")"))
    print(f"{'call':5} " + " ".join(f"{k[:8]:>8}" for k in card.keys))
    contexts = {}
    for item in labels:
        ctx = Context(operator_name=item.get("operator"))
        contexts[item["id"]] = ctx
        ev = evaluate(calls[item["id"]], card, ctx)
        cells = []
        for key in card.keys:
            got, want = ev.verdicts[key].verdict, item["verdicts"].get(key)
            agree[key].append(got == want)
            cells.append(f"{_short(got)}{'' if got == want else '≠' + _short(want)}")
        print(f"{item['id']:5} " + " ".join(f"{c:>8}" for c in cells))
    print()
    total = [x for v in agree.values() for x in v]
    for key, hits in agree.items():
        print(f"  {key:16} {sum(hits) / len(hits):5.2f}")
    overall = sum(total) / len(total)
    worst = min(sum(h) / len(h) for h in agree.values())
    print(f"  {'overall':16} {overall:5.2f}   (target >= 0.90, no standard below 0.75; "
          f"worst {worst:.2f})")

    items = [(calls[i["id"]], contexts[i["id"]]) for i in labels]
    t0 = time.perf_counter()
    for call, ctx in items:
        evaluate(call, card, ctx)
    cold = len(items) / (time.perf_counter() - t0)
    t0 = time.perf_counter()
    for _ in range(args.repeat):
        for call, ctx in items:
            evaluate(call, card, ctx)
    rate = args.repeat * len(items) / (time.perf_counter() - t0)
    print(f"\nthroughput, scoring alone (transcript in, verdicts out), one core: "
          f"{rate:.0f} calls/s (first pass after warm-up of the sample: {cold:.0f} calls/s; "
          "target >= 200)")
    return 0


def _short(v: bool | None) -> str:
    return {True: "+", False: "-", None: "·"}[v]


if __name__ == "__main__":
    raise SystemExit(main())
