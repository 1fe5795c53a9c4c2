"""Speech pipeline benchmark: speed (x real time), WER/CER per speaker, peak RSS, and the naive
baseline (plain faster-whisper on the downmixed file, beam 5, no VAD) side by side.
The baseline runs in a child process, so the peak RSS printed for our pipeline is its own.

    python bench/speech.py [EVAL_DIR] [--model-cache DIR] [--no-naive] [--only d01,d07]

EVAL_DIR defaults to ../shared/eval relative to the repository root; it must hold
audio/manifest.json and audio/dNN.wav. A ~5-minute stereo call is built by joining the
stereo calls, so the long-call figure is measured in the same run.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import soundfile as sf

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import speech  # noqa: E402
from bench._common import error_counts, peak_rss_mib  # noqa: E402

LONG_SECONDS = 300.0
SPEAKERS = {"op": "operator", "sub": "subscriber"}


def build_long_call(audio_dir: Path, manifest: list[dict], out: Path) -> dict:
    """Join the stereo calls (repeating them) into one ~5 min stereo PCM16 8 kHz file."""
    pieces, timeline, t = [], [], 0.0
    stereo = [c for c in manifest if sf.info(str(audio_dir / c["file"])).channels == 2]
    gap = np.zeros((8000, 2), np.float32)
    i = 0
    while t < LONG_SECONDS:
        call = stereo[i % len(stereo)]
        i += 1
        x, rate = sf.read(str(audio_dir / call["file"]), dtype="float32", always_2d=True)
        assert rate == 8000
        pieces += [x, gap]
        timeline += [dict(turn, start=turn["start"] + t, end=turn["end"] + t)
                     for turn in call["timeline"]]
        t += (len(x) + len(gap)) / rate
    sf.write(str(out), np.concatenate(pieces), 8000, subtype="PCM_16")
    return {"id": "long", "file": out.name, "seconds": round(t, 2), "timeline": timeline}


def ours(path: Path, model_cache: Path) -> tuple[float, speech.CallAnalysis]:
    t = time.perf_counter()
    result = speech.analyse(path, model_cache=model_cache)
    return time.perf_counter() - t, result


def naive_model(model_dir: Path):
    from faster_whisper import WhisperModel

    return WhisperModel(str(model_dir), device="cpu", compute_type="int8")


def naive(model, path: Path) -> tuple[float, str]:
    t = time.perf_counter()
    audio = speech.decode(path)
    mono = speech.resample(audio.mono(), audio.sample_rate)
    segments, _ = model.transcribe(mono, language="ru", beam_size=5, vad_filter=False)
    text = " ".join(s.text for s in segments)
    return time.perf_counter() - t, text


def naive_all(model_dir: str, paths: list[str]) -> tuple[list[tuple[float, str]], float]:
    """The naive baseline over ``paths`` (run in a child process): (wall, text) each, peak RSS."""
    model = naive_model(Path(model_dir))
    naive(model, Path(paths[0]))  # warm
    return [naive(model, Path(p)) for p in paths], peak_rss_mib()


def rate(e: int, n: int) -> float:
    return e / n if n else 0.0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("eval_dir", nargs="?", default=str(ROOT.parent / "shared" / "eval"))
    ap.add_argument("--model-cache", default=str(ROOT / "instance" / "models"))
    ap.add_argument("--no-naive", action="store_true")
    ap.add_argument("--only", default="")
    args = ap.parse_args(argv)
    audio_dir = Path(args.eval_dir) / "audio"
    manifest = json.loads((audio_dir / "manifest.json").read_text(encoding="utf-8"))
    cache = Path(args.model_cache)
    model_dir = speech.ensure_default_model(cache)
    t = time.perf_counter()
    speech.warm_up(cache)
    print(f"warm_up (model load): {time.perf_counter() - t:.1f} s")

    with tempfile.TemporaryDirectory() as tmp:
        long_call = build_long_call(audio_dir, manifest, Path(tmp) / "long.wav")
        calls = [(audio_dir / c["file"], c) for c in manifest]
        calls.append((Path(tmp) / "long.wav", long_call))
        if args.only:
            keep = set(args.only.split(","))
            calls = [c for c in calls if c[1]["id"] in keep]
        rows = []
        for path, call in calls:
            wall, result = ours(path, cache)
            row = {"id": call["id"], "audio": result.duration, "wall": wall,
                   "diar": result.diarization}
            all_ref = " ".join(turn["text"] for turn in sorted(call["timeline"],
                                                                key=lambda x: x["start"]))
            all_hyp = " ".join(s.text for s in result.segments)
            row["all"] = error_counts(all_ref, all_hyp)
            for short, name in SPEAKERS.items():
                ref = " ".join(turn["text"] for turn in call["timeline"]
                               if turn["speaker"] == short)
                row[name] = error_counts(ref, result.text_of(name))
            rows.append(row)
        rss_ours = peak_rss_mib()
        rss_naive = None
        if not args.no_naive:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
                naive_out, rss_naive = pool.submit(
                    naive_all, str(model_dir), [str(p) for p, _ in calls]).result()
            for row, (_path, call), (wall, text) in zip(rows, calls, naive_out, strict=True):
                all_ref = " ".join(turn["text"] for turn in sorted(call["timeline"],
                                                                    key=lambda x: x["start"]))
                row["naive_wall"] = wall
                row["naive_all"] = error_counts(all_ref, text)

    head = (f"{'file':6} {'audio s':>7} {'wall s':>7} {'x RT':>6} {'WER op':>6} {'WER sub':>7} "
            f"{'CER op':>6} {'CER sub':>7} {'WER':>5} | {'naive s':>7} {'x RT':>6} "
            f"{'WER':>5} {'speedup':>7}")
    print(head)
    print("-" * len(head))
    tot = {"audio": 0.0, "wall": 0.0, "naive_wall": 0.0}
    sums: dict[str, np.ndarray] = {}
    for row in rows:
        for k in tot:
            tot[k] += row.get(k, 0.0)
        for k in ("operator", "subscriber", "all", "naive_all"):
            if k in row:
                sums[k] = sums.get(k, np.zeros(4)) + np.array(row[k])
        print(_line(row))
    total = {"id": "TOTAL", **tot, **{k: tuple(v.astype(int)) for k, v in sums.items()}}
    print("-" * len(head))
    print(_line(total))
    print(f"peak RSS (our pipeline, incl. model, this process): {rss_ours:.0f} MiB"
          + (f"; naive baseline (its own process): {rss_naive:.0f} MiB" if rss_naive else ""))
    return 0


def _line(row: dict) -> str:
    op, sub, al = row["operator"], row["subscriber"], row["all"]
    text = (f"{row['id']:6} {row['audio']:7.1f} {row['wall']:7.2f} "
            f"{row['audio'] / row['wall']:6.1f} {rate(op[0], op[1]):6.2f} "
            f"{rate(sub[0], sub[1]):7.2f} {rate(op[2], op[3]):6.2f} {rate(sub[2], sub[3]):7.2f} "
            f"{rate(al[0], al[1]):5.2f}")
    if row.get("naive_wall"):
        nv = row["naive_all"]
        text += (f" | {row['naive_wall']:7.2f} {row['audio'] / row['naive_wall']:6.1f} "
                 f"{rate(nv[0], nv[1]):5.2f} {row['naive_wall'] / row['wall']:6.1f}x")
    return text


if __name__ == "__main__":
    raise SystemExit(main())
