"""Train the digit line reader shipped in ocr/models/digit_lines.npz.

A small CRNN (four convolutions, a bidirectional LSTM) trained with CTC on
text lines rendered here (`scripts/line_samples.py`) from Debian's TLWG
fonts: letter numbers, dates, cited letters, receipt stamps and body text
holding digits, in Thai or Arabic digits, 150–300 dpi, blurred, noised,
JPEG-compressed, cut as loose line bands with pieces of the lines above and
below. Reproducible for a seed on the same versions; nothing is downloaded.

Training needs PyTorch (only here: the reader runs in numpy)::

    .venv/bin/pip install -e '.[train]'
    .venv/bin/python scripts/train_line_model.py                 # train + report
    .venv/bin/python scripts/train_line_model.py --lines 4000 --epochs 1   # quick

It writes the weights (batch norm folded into the convolutions) and
`ocr/models/digit_lines.json` with the scores on fresh lines of every font:
the share of lines read exactly, and of their digits read right.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from multiprocessing import Pool
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from ocr.line_model import ALPHABET, BLANK, HEIGHT, MODEL_PATH, LineModel, decode  # noqa: E402

CHANNELS = (16, 32, 64, 64)
POOLS = ((2, 2), (2, 2), (1, 1), (2, 1))
HIDDEN = 96
INDEX = {s: i for i, s in enumerate(ALPHABET)}


def _make(args: tuple[int, int, tuple[str, ...]]) -> list[tuple[np.ndarray, str]]:
    from line_samples import batch

    seed, n, families = args
    return [(img.astype(np.float16), label) for img, label in batch(seed, n, families)]


def lines(seed: int, n: int, families: tuple[str, ...], workers: int = 2
          ) -> list[tuple[np.ndarray, str]]:
    """`n` rendered lines, made in chunks of 500 by `workers` processes."""
    chunks = [(seed * 1000 + k, min(500, n - k * 500), families)
              for k in range((n + 499) // 500)]
    with Pool(workers) as pool:
        return [s for part in pool.map(_make, chunks) for s in part]


def build():  # type: ignore[no-untyped-def]
    import torch
    from torch import nn

    class Crnn(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            layers: list[nn.Module] = []
            c_in = 1
            for c_out, (ph, pw) in zip(CHANNELS, POOLS):
                layers += [nn.Conv2d(c_in, c_out, 3, padding=1), nn.BatchNorm2d(c_out), nn.ReLU()]
                if ph > 1 or pw > 1:
                    layers.append(nn.MaxPool2d((ph, pw)))
                c_in = c_out
            self.convs = nn.Sequential(*layers)
            rows = HEIGHT
            for ph, _ in POOLS:
                rows //= ph
            self.lstm = nn.LSTM(c_in * rows, HIDDEN, bidirectional=True, batch_first=True)
            self.fc = nn.Linear(2 * HIDDEN, len(ALPHABET) + 1)

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            f = self.convs(x)  # batch, channels, rows, columns
            b, c, h, w = f.shape
            seq = f.permute(0, 3, 1, 2).reshape(b, w, c * h)
            out, _ = self.lstm(seq)
            return self.fc(out)  # batch, columns, symbols

    return Crnn()


def _batches(data: list[tuple[np.ndarray, str]], size: int, rng: random.Random):
    """Batches of lines of similar width (less padding), in random order."""
    order = sorted(range(len(data)), key=lambda i: data[i][0].shape[1] + rng.random() * 40)
    groups = [order[k:k + size] for k in range(0, len(order), size)]
    rng.shuffle(groups)
    return groups


def train(data, epochs: int, seed: int, threads: int):  # type: ignore[no-untyped-def]
    import torch

    torch.manual_seed(seed)
    torch.set_num_threads(threads)
    model = build()
    opt = torch.optim.AdamW(model.parameters(), lr=2e-3, weight_decay=1e-4)
    ctc = torch.nn.CTCLoss(blank=BLANK, zero_infinity=True)
    rng = random.Random(seed)
    steps = epochs * ((len(data) + 31) // 32)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=2e-3, total_steps=steps,
                                                pct_start=0.15)
    for epoch in range(epochs):
        model.train()
        total, n, t0 = 0.0, 0, time.perf_counter()
        for group in _batches(data, 32, rng):
            width = max(data[i][0].shape[1] for i in group)
            width += (-width) % 4
            x = np.zeros((len(group), 1, HEIGHT, width), np.float32)
            targets, lengths = [], []
            for j, i in enumerate(group):
                img, label = data[i]
                x[j, 0, :, :img.shape[1]] = img
                targets += [INDEX[s] for s in label]
                lengths.append(len(label))
            logp = model(torch.from_numpy(x)).log_softmax(2).permute(1, 0, 2)
            in_len = torch.full((len(group),), logp.shape[0], dtype=torch.long)
            loss = ctc(logp, torch.tensor(targets, dtype=torch.long), in_len,
                       torch.tensor(lengths, dtype=torch.long))
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 5.0)
            opt.step()
            sched.step()
            total += float(loss.detach()) * len(group)
            n += len(group)
        print(f"epoch {epoch + 1}/{epochs}: loss {total / n:.4f} "
              f"({time.perf_counter() - t0:.0f} s)", flush=True)
    return model


def _conv_norms(net):  # type: ignore[no-untyped-def]
    """The network's convolutions, each with the batch norm after it."""
    import torch

    convs = [m for m in net.convs if isinstance(m, torch.nn.Conv2d)]
    norms = [m for m in net.convs if isinstance(m, torch.nn.BatchNorm2d)]
    return list(zip(convs, norms, strict=True))


def save(model, path: Path) -> None:  # type: ignore[no-untyped-def]
    """The weights for `ocr.line_model` in numpy: batch norm folded into the convolutions."""
    import torch

    model.eval()
    arrays: dict[str, np.ndarray] = {}
    pairs = _conv_norms(model)
    for i, (conv, norm) in enumerate(pairs):
        scale = (norm.weight / torch.sqrt(norm.running_var + norm.eps)).detach()
        arrays[f"c{i}_w"] = (conv.weight.detach() * scale[:, None, None, None]).numpy()
        arrays[f"c{i}_b"] = ((conv.bias.detach() - norm.running_mean) * scale
                             + norm.bias.detach()).numpy()
    lstm = model.lstm
    for side, suffix in (("f", ""), ("b", "_reverse")):
        arrays[f"l{side}_wi"] = getattr(lstm, f"weight_ih_l0{suffix}").detach().numpy()
        arrays[f"l{side}_wh"] = getattr(lstm, f"weight_hh_l0{suffix}").detach().numpy()
        arrays[f"l{side}_b"] = (getattr(lstm, f"bias_ih_l0{suffix}")
                                + getattr(lstm, f"bias_hh_l0{suffix}")).detach().numpy()
    arrays["fc_w"] = model.fc.weight.detach().numpy()
    arrays["fc_b"] = model.fc.bias.detach().numpy()
    arrays = {k: v.astype(np.float32) for k, v in arrays.items()}
    np.savez_compressed(path, convs=np.array(len(pairs)), pools=np.array(POOLS),
                        alphabet=np.array(ALPHABET), **arrays)


def add_check(path: Path, band: np.ndarray) -> None:
    """Store beside the weights one band and what PyTorch computes for it, with
    those very weights loaded back into the network (batch norm as identity):
    the numpy reader must give the same (`tests/test_line_model.py`)."""
    import torch

    with np.load(path) as data:
        arrays = {k: data[k] for k in data.files}
    net = build().eval()
    with torch.no_grad():
        for i, (conv, norm) in enumerate(_conv_norms(net)):
            conv.weight.copy_(torch.from_numpy(arrays[f"c{i}_w"]))
            conv.bias.copy_(torch.from_numpy(arrays[f"c{i}_b"]))
            norm.weight.fill_(1.0)
            norm.bias.zero_()
            norm.running_mean.zero_()
            norm.running_var.fill_(1.0 - norm.eps)
        for side, suffix in (("f", ""), ("b", "_reverse")):
            getattr(net.lstm, f"weight_ih_l0{suffix}").copy_(torch.from_numpy(arrays[f"l{side}_wi"]))
            getattr(net.lstm, f"weight_hh_l0{suffix}").copy_(torch.from_numpy(arrays[f"l{side}_wh"]))
            getattr(net.lstm, f"bias_ih_l0{suffix}").copy_(torch.from_numpy(arrays[f"l{side}_b"]))
            getattr(net.lstm, f"bias_hh_l0{suffix}").zero_()
        net.fc.weight.copy_(torch.from_numpy(arrays["fc_w"]))
        net.fc.bias.copy_(torch.from_numpy(arrays["fc_b"]))
        band = band[:, :band.shape[1] // 4 * 4].astype(np.float32)
        probabilities = net(torch.from_numpy(band[None, None])).softmax(2)[0].numpy()
    arrays |= {"check_band": band, "check_probabilities": probabilities}
    np.savez_compressed(path, **arrays)


def score(path: Path, data: list[tuple[np.ndarray, str]]) -> dict:
    """Lines read exactly, and digits right where the reading has the label's length."""
    model = LineModel(path)
    exact = digits_right = digits = 0
    for img, label in data:
        got = "".join(s.text for s in decode(model.probabilities(img.astype(np.float32))))
        exact += got == label
        wanted = [ch for ch in label if ch.isdigit()]
        digits += len(wanted)
        if len(got) == len(label):
            digits_right += sum(a == b for a, b in zip(got, label) if b.isdigit())
    return {"lines": len(data), "exact": round(exact / len(data), 4),
            "digits_right": round(digits_right / max(1, digits), 4)}


def main() -> None:
    from train_digit_model import FAMILIES

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=32000)
    parser.add_argument("--epochs", type=int, default=4)
    parser.add_argument("--seed", type=int, default=2568)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--out", type=Path, default=MODEL_PATH)
    parser.add_argument("--score-only", action="store_true",
                        help="train nothing: store the check band and score the model in --out")
    args = parser.parse_args()
    t0 = time.perf_counter()
    if not args.score_only:
        data = lines(args.seed, args.lines, FAMILIES)
        print(f"{len(data)} training lines in {time.perf_counter() - t0:.0f} s", flush=True)
        model = train(data, args.epochs, args.seed, args.threads)
        args.out.parent.mkdir(parents=True, exist_ok=True)
        save(model, args.out)
    add_check(args.out, lines(args.seed + 3, 1, FAMILIES, 1)[0][0])
    report = {"seed": args.seed, "lines": args.lines, "epochs": args.epochs,
              "fresh_lines": score(args.out, lines(args.seed + 1, 2000, FAMILIES)),
              "per_family": {f: score(args.out, lines(args.seed + 2 + k, 200, (f,), 1))
                             for k, f in enumerate(FAMILIES)},
              "seconds": round(time.perf_counter() - t0)}
    args.out.with_suffix(".json").write_text(json.dumps(report, ensure_ascii=False, indent=1))
    print(json.dumps(report, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
