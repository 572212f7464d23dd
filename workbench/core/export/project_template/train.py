# <workbench:header>
"""Train the exported model (Workbench fills in this docstring and the marked sections)."""
# </workbench:header>

from __future__ import annotations

import argparse
import math
import os
import time

import torch
import torch.distributed as dist
import torch.nn.functional as F
from safetensors.torch import load_file, save_file
from torch import nn
from torch.nn.parallel import DistributedDataParallel
from torch.utils.data import DataLoader, Dataset, Subset, TensorDataset
from torch.utils.data.distributed import DistributedSampler

# <workbench:settings>
Model = nn.Module  # the exporter writes: from model import TheModel as Model
CONFIG: dict = {}  # ...the run's training settings (TrainingConfig)
DATA: dict = {}  # ...and where its data comes from, its split and normalization
# </workbench:settings>


# <workbench:data>
def load_data(data_dir: str | None) -> dict[str, Dataset]:
    """The train, val and test splits as datasets of (x, y), x unnormalized."""
    raise NotImplementedError("write a loader returning {'train': ..., 'val': ..., 'test': ...}")
# </workbench:data>


def parse_args() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--epochs", type=int, default=CONFIG["epochs"])
    p.add_argument("--batch-size", type=int, default=CONFIG["batch_size"],
                   help="global batch size, split across processes")
    p.add_argument("--lr", type=float, default=CONFIG["lr"])
    p.add_argument("--seed", type=int, default=CONFIG["seed"])
    p.add_argument("--data-dir", default=None, help="where the data is (or is downloaded to)")
    p.add_argument("--weights", default=None,
                   help="start from these weights, e.g. weights.safetensors")
    p.add_argument("--output", default="model.safetensors", help="where rank 0 saves the weights")
    p.add_argument("--device", default=None, help="cpu, cuda, ... (default: GPU if available)")
    p.add_argument("--workers", type=int, default=CONFIG.get("num_workers", 2),
                   help="data loading processes for data read from files")
    return p.parse_args()


def setup(requested: str | None) -> tuple[torch.device, int, int]:
    """(device, rank, world size). Under torchrun: one process per GPU with NCCL, or CPU
    processes with gloo."""
    rank, world = int(os.environ.get("RANK", 0)), int(os.environ.get("WORLD_SIZE", 1))
    local = int(os.environ.get("LOCAL_RANK", 0))
    cuda = torch.cuda.is_available() and (requested is None or requested.startswith("cuda"))
    device = torch.device(f"cuda:{local}" if cuda else (requested or "cpu"))
    if cuda:
        torch.cuda.set_device(device)
    if world > 1:
        dist.init_process_group("nccl" if cuda else "gloo")
    return device, rank, world


def normalize(x: torch.Tensor) -> torch.Tensor:
    """(x - mean) / std with the training split's statistics, as Workbench did."""
    if DATA.get("mean") is None or not x.is_floating_point():
        return x
    mean = torch.tensor(DATA["mean"], device=x.device, dtype=x.dtype)
    std = torch.tensor(DATA["std"], device=x.device, dtype=x.dtype)
    if DATA["kind"] == "image":
        mean, std = mean.view(-1, 1, 1), std.view(-1, 1, 1)
    return (x - mean) / std


def fill_in_stats(train: Dataset) -> None:
    """Without the run's statistics (an untrained export), take them from the training split."""
    if DATA.get("mean") is not None or DATA["kind"] == "tokens" \
            or not isinstance(train, TensorDataset):
        return
    x = train.tensors[0]
    dims = (0, 2, 3) if DATA["kind"] == "image" else tuple(range(x.dim() - 1))
    std, mean = torch.std_mean(x, dim=dims, correction=0)
    DATA["mean"], DATA["std"] = mean.tolist(), torch.where(std < 1e-6, 1.0, std).tolist()


def make_optimizer(params, cfg: dict) -> torch.optim.Optimizer:
    name, lr, wd, momentum = cfg["optimizer"], cfg["lr"], cfg["weight_decay"], cfg["momentum"]
    if name == "sgd":
        return torch.optim.SGD(params, lr, momentum=momentum, weight_decay=wd,
                               nesterov=cfg["nesterov"] and momentum > 0)
    if name == "rmsprop":
        return torch.optim.RMSprop(params, lr, momentum=momentum, weight_decay=wd)
    if name == "adamw":
        return torch.optim.AdamW(params, lr, weight_decay=wd)
    return torch.optim.Adam(params, lr, weight_decay=wd)


def param_groups(model: nn.Module, cfg: dict) -> list[dict]:
    """The parameters that train; the head's in a group of its own when it learns faster
    (head_lr_multiplier). The body's group comes first: layers unfrozen later join at its rate."""
    params = [p for p in model.parameters() if p.requires_grad]
    scale = cfg.get("head_lr_multiplier", 1.0)
    if scale == 1.0:
        return [{"params": params}]
    head = {id(p) for n in cfg.get("head", []) if hasattr(model, n)
            for p in getattr(model, n).parameters()}
    return [{"params": [p for p in params if id(p) not in head]},
            {"params": [p for p in params if id(p) in head], "lr": cfg["lr"] * scale}]


def make_schedule(opt: torch.optim.Optimizer, cfg: dict, steps_per_epoch: int):
    """Per-step learning-rate schedule: linear warm-up, then none, step, cosine or one-cycle."""
    total = max(1, cfg["epochs"] * steps_per_epoch)
    warmup = min(total, round(cfg["warmup_epochs"] * steps_per_epoch))
    if cfg["schedule"] == "onecycle":  # its own warm-up phase: warmup_epochs sets its length
        pct = min(0.9, warmup / total) if warmup > 0 else 0.3
        return torch.optim.lr_scheduler.OneCycleLR(
            opt, [g["lr"] for g in opt.param_groups], total_steps=total, pct_start=pct,
            cycle_momentum=cfg["optimizer"] != "rmsprop")

    def factor(step: int) -> float:
        if step < warmup:
            return (step + 1) / warmup
        if cfg["schedule"] == "cosine":
            progress = min(1.0, (step - warmup) / max(1, total - warmup))
            return 0.5 * (1 + math.cos(math.pi * progress))
        if cfg["schedule"] == "step":
            return cfg["gamma"] ** (step // (max(1, cfg["step_size"]) * steps_per_epoch))
        return 1.0

    return torch.optim.lr_scheduler.LambdaLR(opt, factor)


def frozen_layers(model: nn.Module, cfg: dict) -> list[nn.Module]:
    """The layers Workbench froze (fine-tuning): no gradients, so no optimizer gets them."""
    layers = [getattr(model, n) for n in cfg.get("frozen", []) if hasattr(model, n)]
    for layer in layers:
        layer.requires_grad_(False)
    return layers


def keep_frozen_eval(layers: list[nn.Module]) -> None:
    """Frozen BatchNorm layers keep their running statistics: eval mode while training."""
    for layer in layers:
        for m in layer.modules():
            if isinstance(m, nn.modules.batchnorm._BatchNorm):
                m.eval()


def unfreeze(layers: list[nn.Module], opt: torch.optim.Optimizer, schedule) -> None:
    """Gradual unfreezing: the frozen layers join the optimizer at the body's rate."""
    params = [p for layer in layers for p in layer.parameters()]
    for p in params:
        p.requires_grad_(True)
    first = opt.param_groups[0]
    opt.add_param_group({"params": params, **{k: first[k] for k in (
        "lr", "initial_lr", "max_lr", "min_lr", "max_momentum", "base_momentum") if k in first}})
    if isinstance(schedule, torch.optim.lr_scheduler.LambdaLR):
        schedule.base_lrs.append(schedule.base_lrs[0])
        schedule.lr_lambdas.append(schedule.lr_lambdas[0])
    layers.clear()


def compute_loss(out: torch.Tensor, y: torch.Tensor, cfg: dict) -> torch.Tensor:
    loss, smoothing = cfg["loss"], cfg["label_smoothing"]
    if DATA["task"] == "next_token":  # a score per step; <pad> targets (0) teach nothing
        return F.cross_entropy(out.flatten(0, -2), y.flatten(), ignore_index=0,
                               label_smoothing=smoothing)
    fn = F.binary_cross_entropy_with_logits if loss == "bce_with_logits" else F.mse_loss
    if DATA["task"] == "regression":
        return fn(out, y.view_as(out).to(out.dtype))
    if loss in ("auto", "cross_entropy"):
        return F.cross_entropy(out, y, label_smoothing=smoothing)
    target = F.one_hot(y, out.shape[-1]).to(out.dtype) if out.shape[-1] > 1 \
        else y.to(out.dtype).unsqueeze(-1)  # one logit for two classes
    return fn(out, target * (1 - smoothing) + 0.5 * smoothing)


def score(out: torch.Tensor, y: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """(right answers, answers scored) as device tensors: samples, or non-<pad> tokens."""
    if DATA["task"] == "regression":
        return torch.zeros((), device=out.device), torch.tensor(len(y), device=out.device)
    valid = y != 0 if DATA["task"] == "next_token" else torch.ones_like(y, dtype=torch.bool)
    guess = (out.squeeze(-1) > 0).long() if out.shape[-1] == 1 else out.argmax(-1)
    return ((guess == y) & valid).sum(), valid.sum()


def run_epoch(model, loader, device, cfg, opt=None, schedule=None, autocast=None):
    """One pass; trains when given an optimizer. Returns summed (loss, correct, count) as a
    tensor kept on the device (no per-step sync)."""
    totals = torch.zeros(3, dtype=torch.float64, device=device)
    for x, y in loader:
        x, y = normalize(x.to(device, non_blocking=True)), y.to(device, non_blocking=True)
        with torch.set_grad_enabled(opt is not None), autocast():
            out = model(x)
            loss = compute_loss(out.float(), y, cfg)
        if opt is not None:
            opt.zero_grad(set_to_none=True)
            loss.backward()
            if cfg["grad_clip"] > 0:
                nn.utils.clip_grad_norm_(model.parameters(), cfg["grad_clip"])
            opt.step()
            schedule.step()
        hits, count = score(out, y)
        totals += torch.stack([loss.detach() * count, hits, count]).double()
    return totals


def main() -> None:
    args = parse_args()
    cfg = dict(CONFIG, epochs=args.epochs, batch_size=args.batch_size, lr=args.lr,
               seed=args.seed)
    device, rank, world = setup(args.device)
    torch.manual_seed(cfg["seed"])  # the same initial weights on every process
    if rank != 0:
        dist.barrier()  # rank 0 loads (and downloads) first
    data = load_data(args.data_dir)
    fill_in_stats(data["train"])
    if world > 1 and rank == 0:
        dist.barrier()

    model = Model().to(device)
    if args.weights:
        model.load_state_dict(load_file(args.weights))
    frozen = frozen_layers(model, cfg)

    def parallel(model: nn.Module) -> nn.Module:
        if world == 1:
            return model
        return DistributedDataParallel(model, device_ids=[device.index]
                                       if device.type == "cuda" else None)

    net = parallel(model)
    streamed = not isinstance(data["train"], TensorDataset)
    loader_args = dict(num_workers=args.workers if streamed else 0,
                       pin_memory=device.type == "cuda")
    sampler = DistributedSampler(data["train"], world, rank, shuffle=True, seed=cfg["seed"]) \
        if world > 1 else None
    per_process = max(1, cfg["batch_size"] // world)  # same global batch as the run
    train = DataLoader(data["train"], per_process, shuffle=sampler is None, sampler=sampler,
                       generator=torch.Generator().manual_seed(cfg["seed"]), **loader_args)
    # each process checks every world-th validation sample; the sums are combined
    val = DataLoader(Subset(data["val"], range(rank, len(data["val"]), world)), per_process,
                     **loader_args)
    opt = make_optimizer(param_groups(model, cfg), cfg)
    schedule = make_schedule(opt, cfg, len(train))
    bf16 = device.type == "cuda" and cfg.get("precision", "auto") in ("auto", "bf16") \
        and torch.cuda.is_bf16_supported()

    def autocast():
        return torch.autocast("cuda", torch.bfloat16, enabled=bf16)

    if rank == 0:
        print(f"{Model.__name__}: {sum(p.numel() for p in model.parameters()):,} parameters, "
              f"{len(data['train']):,} training samples, {world} process{'es' * (world > 1)} on "
              f"{device.type}")
    for epoch in range(cfg["epochs"]):
        start = time.time()
        if sampler is not None:
            sampler.set_epoch(epoch)
        if frozen and 0 < cfg.get("unfreeze_after", 0) <= epoch:
            unfreeze(frozen, opt, schedule)
            net = parallel(model)  # DDP syncs only the parameters that trained when wrapped
        net.train()
        keep_frozen_eval(frozen)
        tr = run_epoch(net, train, device, cfg, opt, schedule, autocast)
        model.eval()
        va = run_epoch(model, val, device, cfg, autocast=autocast)
        if world > 1:
            dist.all_reduce(tr)
            dist.all_reduce(va)
        if rank == 0:
            line = f"epoch {epoch + 1}/{cfg['epochs']}: train loss {tr[0] / tr[2]:.4f}"
            if DATA["task"] != "regression":
                line += f" acc {tr[1] / tr[2]:.2%}"
            if va[2] > 0:
                line += f" | val loss {va[0] / va[2]:.4f}"
                if DATA["task"] != "regression":
                    line += f" acc {va[1] / va[2]:.2%}"
            print(f"{line} ({time.time() - start:.1f}s)", flush=True)
    if rank == 0:
        save_file({k: v.detach().cpu().contiguous() for k, v in model.state_dict().items()},
                  args.output)
        print(f"saved {args.output}")
    if world > 1:
        dist.barrier()  # nobody leaves while rank 0 is still saving
        dist.destroy_process_group()


if __name__ == "__main__":
    main()
